using System.Diagnostics.Metrics;

namespace AuthPlatform.Mfa;

public static class MfaMetrics
{
    public static readonly Meter Meter = new("AuthPlatform.Mfa");

    /// <summary>Second-factor checks by method and result (accepted, wrong, throttled, replayed).</summary>
    public static readonly Counter<long> Verifications = Meter.CreateCounter<long>("authplatform.mfa.verifications");

    /// <summary>Reused TOTP time steps that were refused (ASVS 2.8.5: log, count, alert on it).</summary>
    public static readonly Counter<long> ReplaysRejected = Meter.CreateCounter<long>("authplatform.mfa.totp_replays_rejected");

    public static void Verified(string method, string result) =>
        Verifications.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("result", result));
}
