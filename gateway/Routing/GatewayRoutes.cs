using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace AuthPlatform.Gateway.Extensions;

/// <summary>The public path prefixes of design §4 and the service behind each.</summary>
public static class GatewayRoutes
{
    public static readonly IReadOnlyDictionary<string, string[]> PrefixesByService = new Dictionary<string, string[]>
    {
        ["account"] = ["/api/accounts", "/api/sessions", "/api/access-keys", "/connect", "/.well-known", "/reset-password"],
        ["verification"] = ["/api/verification", "/verify-email"],
        ["mfa"] = ["/api/mfa"],
    };

    public static IReadOnlyList<RouteConfig> Routes() =>
    [
        .. PrefixesByService.SelectMany(service => service.Value.Select(prefix => new RouteConfig
        {
            RouteId = $"{service.Key}{prefix.Replace('/', '-')}",
            ClusterId = service.Key,
            // "{**rest}" also matches the bare prefix, and nothing that merely starts with its letters.
            Match = new RouteMatch { Path = prefix + "/{**rest}" },
        })),
        // Each service's OpenAPI document, published at /openapi/<service>.json.
        .. PrefixesByService.Keys.Select(service => new RouteConfig
        {
            RouteId = $"{service}-openapi",
            ClusterId = service,
            Match = new RouteMatch { Path = $"/openapi/{service}.json", Methods = ["GET"] },
            Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
        }),
    ];

    public static IReadOnlyList<ClusterConfig> Clusters(GatewayOptions options) =>
        [.. PrefixesByService.Keys.Select(service => new ClusterConfig
        {
            ClusterId = service,
            LoadBalancingPolicy = "RoundRobin",
            // One destination named by service; the service-discovery resolver expands it to every replica.
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [service] = new() { Address = $"http://{service}" },
            },
            // Active probes of each replica's readiness: a dead or unready replica leaves rotation after
            // UnhealthyAfterFailedProbes misses and rejoins on the first good probe. (Passive checks would
            // bench a replica for a fixed period even after it is back.)
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = options.HealthProbeInterval,
                    Timeout = options.HealthProbeTimeout,
                    Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                    Path = "/health",
                },
            },
            Metadata = new Dictionary<string, string>
            {
                // Leave rotation after this many failed probes in a row.
                [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = options.UnhealthyAfterFailedProbes.ToString(),
            },
        })];
}
