using System.Diagnostics.Metrics;

namespace AuthPlatform.Mfa;

/// <summary>The service's own instruments (meter <c>AuthPlatform.Mfa</c>, exported by ServiceDefaults).</summary>
public sealed class MfaMetrics
{
    public const string MeterName = "AuthPlatform.Mfa";

    private readonly Counter<long> _verifications;
    private readonly Counter<long> _replaysRejected;

    public MfaMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _verifications = meter.CreateCounter<long>("authplatform.mfa.verifications",
            description: "Second-factor checks by method and result (accepted, wrong, throttled, replayed).");
        _replaysRejected = meter.CreateCounter<long>("authplatform.mfa.totp_replays_rejected",
            description: "Reused TOTP time steps that were refused (ASVS 2.8.5: log, count, alert on it).");
    }

    public void Verified(string method, string result) =>
        _verifications.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("result", result));

    public void ReplayRejected() => _replaysRejected.Add(1);
}
