using System.Net.Http.Json;
using AuthPlatform.AppHost;

namespace AuthPlatform.Testing;

/// <summary>
/// A second gateway set up as if a load balancer stood in front of it (<c>ForwardedHeaders__BehindProxy</c>, the
/// balancer on loopback). The test plays the balancer: each request says, in X-Forwarded-For, which client it
/// comes from, so a test can be many clients (or one client rotating through its IPv6 /64) from one machine.
/// Started once per platform and stopped with it.
/// </summary>
public sealed class LoadBalancedGateway
{
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static readonly Dictionary<PlatformFixture, LoadBalancedGateway> Started = [];

    private LoadBalancedGateway(HttpClient http) => Http = http;

    /// <summary>Requests go to the gateway straight from "the balancer"; add X-Forwarded-For per request.</summary>
    public HttpClient Http { get; }

    public static async Task<LoadBalancedGateway> ForAsync(PlatformFixture platform)
    {
        await Starting.WaitAsync();
        try
        {
            if (!Started.TryGetValue(platform, out var gateway))
            {
                var instance = platform.Fleet.StartAdditional("gateway", new Dictionary<string, string?>
                {
                    ["ForwardedHeaders__BehindProxy"] = "true",
                    ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
                });
                await ServiceFleet.WaitHealthyAsync(instance);
                gateway = new LoadBalancedGateway(new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(60) });
                Started[platform] = gateway;
            }
            return gateway;
        }
        finally
        {
            Starting.Release();
        }
    }

    /// <summary>A client address of its own (198.18.0.0/15, the benchmarking range), for one test's "someone".</summary>
    public static string NewIPv4Client() => $"198.{18 + Random.Shared.Next(2)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>A /64 of its own under 2001:db8::/32 (documentation range), e.g. "2001:db8:1a2b:3c4d".</summary>
    public static string NewIPv6Prefix() => $"2001:db8:{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(0x10000):x}";

    /// <summary>Some address inside <paramref name="prefix"/> (as <see cref="NewIPv6Prefix"/> gives it).</summary>
    public static string AddressIn(string prefix) =>
        $"{prefix}:{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(1, 0x10000):x}";

    public async Task<HttpResponseMessage> PostAsJsonAsync(string path, object body, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        return await SendAsync(request, client);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string client)
    {
        request.Headers.Add("X-Forwarded-For", client);
        return await Http.SendAsync(request);
    }

    /// <summary>A sign-in from <paramref name="client"/>, with the device token of an earlier one if given.</summary>
    public Task<HttpResponseMessage> SignInAsync(string email, string password, string client, string? deviceToken = null) =>
        PostAsJsonAsync("/api/sessions", deviceToken is null ? new { email, password } : new { email, password, deviceToken }, client);
}
