namespace AuthPlatform.Gateway.Extensions;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Largest request body the gateway forwards (design: 64 KiB for the API).</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    public TimeSpan HealthProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int UnhealthyAfterFailedProbes { get; set; } = 2;
}
