using System.Diagnostics.Metrics;

namespace AuthPlatform.Verification;

/// <summary>The service's own instruments (meter <c>AuthPlatform.Verification</c>, exported by ServiceDefaults).</summary>
public sealed class VerificationMetrics
{
    public const string MeterName = "AuthPlatform.Verification";

    private readonly Counter<long> emailsVerified;
    private readonly Counter<long> smsCodesIssued;
    private readonly Counter<long> smsRefused;
    private readonly Counter<long> smsCapAlerts;

    public VerificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        emailsVerified = meter.CreateCounter<long>("authplatform.verification.emails_verified");
        smsCodesIssued = meter.CreateCounter<long>("authplatform.verification.sms_codes_issued", description: "SMS codes issued, by purpose.");
        smsRefused = meter.CreateCounter<long>("authplatform.verification.sms_refused",
            description: "SMS refused by a pumping limit, by limit; \"global daily cap\" means sending has stopped for the day.");
        smsCapAlerts = meter.CreateCounter<long>("authplatform.verification.sms_cap_alerts",
            description: "The global daily SMS cap came near (its enrolment share used up): enrolment stops, operators should look.");
    }

    public void EmailVerified() => emailsVerified.Add(1);

    public void SmsCodeIssued(string purpose) => smsCodesIssued.Add(1, new KeyValuePair<string, object?>("purpose", purpose));

    public void SmsRefused(string limit) => smsRefused.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void SmsCapAlert() => smsCapAlerts.Add(1);
}
