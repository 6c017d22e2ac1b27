using AuthPlatform.Gateway.Hosting;
using AuthPlatform.Gateway.RateLimiting;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace AuthPlatform.Gateway.Routing;

/// <summary>One row of the limited routes: the request, the service behind it and the rate-limit policy it counts against.</summary>
public sealed record LimitedRoute(string Method, string Path, string Service, string RateLimitPolicy);

/// <summary>
/// The public path prefixes (docs/architecture.md, Gateway) and the service behind each, and the requests that count
/// against an edge rate limit (docs/api.md, Rate limits at the gateway).
/// </summary>
public static class GatewayRoutes
{
    /// <summary>
    /// Each limited request with its policy. A row is more specific than its service's prefix route, so routing picks
    /// it for that method and path; other methods and paths under the prefix are not limited at the edge.
    /// </summary>
    public static readonly IReadOnlyList<LimitedRoute> Limited =
    [
        new("POST", "/api/accounts", "account", EdgeRateLimits.SignUp),
        new("POST", "/api/accounts/password-reset/{**rest}", "account", EdgeRateLimits.PasswordReset),
        new("POST", "/api/sessions", "account", EdgeRateLimits.SignIn),
        new("POST", "/api/sessions/reauthenticate", "account", EdgeRateLimits.SignIn),
        new("POST", "/api/sessions/refresh", "account", EdgeRateLimits.Refresh),
        new("POST", "/api/sessions/mfa", "account", EdgeRateLimits.MfaStep),
        new("POST", "/api/sessions/mfa/sms", "account", EdgeRateLimits.SmsResend),
        new("POST", "/api/passkeys/assertion/{**rest}", "account", EdgeRateLimits.SignIn),
        new("POST", "/api/passkeys/{**rest}", "mfa", EdgeRateLimits.MfaSettings),
        new("POST", "/connect/token", "account", EdgeRateLimits.AccessKeyToken),
        new("POST", "/api/verification/email/resend", "verification", EdgeRateLimits.EmailResend),
        new("POST", "/api/mfa/{**rest}", "mfa", EdgeRateLimits.MfaSettings),
        new("PUT", "/api/mfa/{**rest}", "mfa", EdgeRateLimits.MfaSettings),
        new("PATCH", "/api/mfa/{**rest}", "mfa", EdgeRateLimits.MfaSettings),
        new("DELETE", "/api/mfa/{**rest}", "mfa", EdgeRateLimits.MfaSettings),
        // The portal's forms spend the same budgets as the API requests they lead to.
        new("POST", "/sign-up", Portal, EdgeRateLimits.SignUp),
        new("POST", "/sign-in", Portal, EdgeRateLimits.SignIn),
        new("POST", "/sign-in/two-factor", Portal, EdgeRateLimits.MfaStep),
        new("POST", "/sign-in/passkey", Portal, EdgeRateLimits.SignIn),
        new("POST", "/sign-in/recovery", Portal, EdgeRateLimits.MfaStep),
        new("POST", "/sign-in/two-factor/send-code", Portal, EdgeRateLimits.SmsResend),
        new("POST", "/verify-email/resend", Portal, EdgeRateLimits.EmailResend),
        new("POST", "/forgot-password", Portal, EdgeRateLimits.PasswordReset),
        new("POST", "/reset-password", Portal, EdgeRateLimits.PasswordReset),
    ];

    /// <summary>The web portal: every path no API prefix claims (sign-up, sign-in, the emailed links, the account pages).</summary>
    public const string Portal = "portal";

    /// <summary>
    /// Prefixes that belong to the APIs as a whole: an unknown path under them is the gateway's 404 problem, never
    /// a portal page (an API client asking for a path that does not exist must not get HTML).
    /// </summary>
    public static readonly string[] ApiOnlyPrefixes = ["/api", "/openapi", "/internal"];

    /// <summary>Whether a browser, not an API client, is the one asking (its refusals are pages, not problem+json).</summary>
    public static bool IsPortalPath(PathString path) =>
        !ApiOnlyPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
        && !PrefixesByService.Values.SelectMany(prefixes => prefixes).Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    public static readonly IReadOnlyDictionary<string, string[]> PrefixesByService = new Dictionary<string, string[]>
    {
        // A passkey sign-in is account's (it starts the session); the rest of /api/passkeys is mfa's (the more specific route wins).
        ["account"] = ["/api/accounts", "/api/sessions", "/api/access-keys", "/api/clients", "/connect", "/.well-known", "/api/passkeys/assertion"],
        ["verification"] = ["/api/verification"],
        ["mfa"] = ["/api/mfa", "/api/passkeys"],
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
        .. Limited.Select(route => new RouteConfig
        {
            RouteId = $"{route.Service}-{route.Method.ToLowerInvariant()}{route.Path.Replace("/{**rest}", "").Replace('/', '-')}",
            ClusterId = route.Service,
            Match = new RouteMatch { Path = route.Path, Methods = [route.Method] },
            RateLimiterPolicy = route.RateLimitPolicy,
            // Before the service's prefix route, which matches the same paths for every method.
            Order = -1,
        }),
        // Everything else is the portal's, after every API route (Order 1): it never shadows an API path.
        new RouteConfig
        {
            RouteId = Portal,
            ClusterId = Portal,
            Match = new RouteMatch { Path = "/{**rest}" },
            Order = 1,
        },
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
        [.. PrefixesByService.Keys.Append(Portal).Select(service => new ClusterConfig
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
