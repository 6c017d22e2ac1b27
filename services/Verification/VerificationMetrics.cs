using System.Diagnostics.Metrics;

namespace AuthPlatform.Verification;

public static class VerificationMetrics
{
    public static readonly Meter Meter = new("AuthPlatform.Verification");

    public static readonly Counter<long> EmailsVerified = Meter.CreateCounter<long>("authplatform.verification.emails_verified");

    /// <summary>SMS codes issued, by purpose.</summary>
    public static readonly Counter<long> SmsCodesIssued = Meter.CreateCounter<long>("authplatform.verification.sms_codes_issued");

    /// <summary>SMS refused by a pumping limit, by limit; "global daily cap" means sending has stopped for the day.</summary>
    public static readonly Counter<long> SmsRefused = Meter.CreateCounter<long>("authplatform.verification.sms_refused");

    /// <summary>The global daily SMS cap came near (its enrolment share used up): enrolment stops, operators should look.</summary>
    public static readonly Counter<long> SmsCapAlerts = Meter.CreateCounter<long>("authplatform.verification.sms_cap_alerts");
}
