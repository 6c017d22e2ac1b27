using System.Diagnostics.Metrics;

namespace AuthPlatform.Verification;

public static class VerificationMetrics
{
    public static readonly Meter Meter = new("AuthPlatform.Verification");

    public static readonly Counter<long> EmailsVerified = Meter.CreateCounter<long>("authplatform.verification.emails_verified");
}
