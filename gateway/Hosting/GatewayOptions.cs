namespace AuthPlatform.Gateway.Hosting;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Largest request body the gateway forwards (64 KiB: the API takes small JSON bodies).</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    public TimeSpan HealthProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int UnhealthyAfterFailedProbes { get; set; } = 2;

    public bool IsValid() => MaxRequestBodyBytes > 0 && HealthProbeInterval > TimeSpan.Zero && HealthProbeTimeout > TimeSpan.Zero
        && UnhealthyAfterFailedProbes > 0;
}
