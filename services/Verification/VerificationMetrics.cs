using System.Diagnostics.Metrics;

namespace AuthPlatform.Verification;

/// <summary>The service's own instruments (meter <c>AuthPlatform.Verification</c>, exported by ServiceDefaults).</summary>
public sealed class VerificationMetrics
{
    public const string MeterName = "AuthPlatform.Verification";

    private readonly Counter<long> _emailsVerified;
    private readonly Counter<long> _smsCodesIssued;
    private readonly Counter<long> _smsRefused;
    private readonly Counter<long> _smsCapAlerts;

    public VerificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _emailsVerified = meter.CreateCounter<long>("authplatform.verification.emails_verified");
        _smsCodesIssued = meter.CreateCounter<long>("authplatform.verification.sms_codes_issued", description: "SMS codes issued, by purpose.");
        _smsRefused = meter.CreateCounter<long>("authplatform.verification.sms_refused",
            description: "SMS refused by a pumping limit, by limit; \"global daily cap\" means sending has stopped for the day.");
        _smsCapAlerts = meter.CreateCounter<long>("authplatform.verification.sms_cap_alerts",
            description: "The global daily SMS cap came near (its enrolment share used up): enrolment stops, operators should look.");
    }

    public void EmailVerified() => _emailsVerified.Add(1);

    public void SmsCodeIssued(string purpose) => _smsCodesIssued.Add(1, new KeyValuePair<string, object?>("purpose", purpose));

    public void SmsRefused(string limit) => _smsRefused.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void SmsCapAlert() => _smsCapAlerts.Add(1);
}
