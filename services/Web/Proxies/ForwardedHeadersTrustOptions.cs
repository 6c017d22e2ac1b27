namespace AuthPlatform.Web.Proxies;

/// <summary>
/// Whose X-Forwarded-For / X-Forwarded-Proto a process believes (section <c>ForwardedHeaders</c>). Services always
/// believe loopback (the gateway on the same host) and the proxies listed here; the gateway believes nobody unless
/// <see cref="BehindProxy"/> is set or proxies are listed, because it is the edge.
/// </summary>
public sealed class ForwardedHeadersTrustOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>A load balancer (or, for a service, a gateway on another host) stands in front of this process.</summary>
    public bool BehindProxy { get; set; }

    /// <summary>Single proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c> (containers get addresses from a range).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>Anything configured that says a proxy is in front.</summary>
    public bool TrustsAProxy => BehindProxy || KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
