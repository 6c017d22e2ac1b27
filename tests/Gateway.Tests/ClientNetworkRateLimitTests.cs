using System.Net;

namespace AuthPlatform.Gateway.Tests;

/// <summary>
/// The gateway's per-client limits count by client network (<c>ClientNetwork</c>), behind a trusted load balancer
/// too: an IPv6 client cannot rotate past them through its /64, and clients behind one balancer are not one bucket.
/// </summary>
public sealed class ClientNetworkRateLimitTests(GatewayPlatform platform)
{
    private static Task<HttpResponseMessage> ResetRequestAsync(LoadBalancedGateway gateway, string client) =>
        gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email = PlatformFixture.NewEmail("reset") }, client);

    [Fact]
    public async Task An_IPv6_client_rotating_through_its_64_shares_one_bucket()
    {
        var gateway = await LoadBalancedGateway.ForAsync(platform);
        var prefix = LoadBalancedGateway.NewIPv6Prefix();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            using var response = await ResetRequestAsync(gateway, LoadBalancedGateway.AddressIn(prefix));
            statuses.Add(response.StatusCode);
        }

        statuses.Take(20).ShouldAllBe(s => s == HttpStatusCode.Accepted);
        statuses[20].ShouldBe(HttpStatusCode.TooManyRequests);
        // A neighbouring /64 is someone else.
        using var neighbour = await ResetRequestAsync(gateway, LoadBalancedGateway.AddressIn(LoadBalancedGateway.NewIPv6Prefix()));
        neighbour.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Distinct_clients_behind_one_trusted_balancer_get_distinct_buckets()
    {
        var gateway = await LoadBalancedGateway.ForAsync(platform);
        var busy = LoadBalancedGateway.NewIPv4Client();
        for (var i = 0; i < 20; i++)
        {
            using var response = await ResetRequestAsync(gateway, busy);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }
        using var over = await ResetRequestAsync(gateway, busy);
        over.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // The same client written as an IPv4-mapped IPv6 address is the same client.
        using var mapped = await ResetRequestAsync(gateway, "::ffff:" + busy);
        mapped.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        for (var i = 0; i < 5; i++)
        {
            using var other = await ResetRequestAsync(gateway, LoadBalancedGateway.NewIPv4Client());
            other.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }
    }

    // The route table names each limited route's policy: sign-in, refresh, the MFA step and SMS resends once shared one
    // "sign-in" window; now a flood of one leaves the others' budgets alone.
    [Fact]
    public async Task Sms_resends_have_a_limit_of_their_own_that_leaves_sign_in_refresh_and_the_MFA_step_alone()
    {
        var gateway = await LoadBalancedGateway.ForAsync(platform);
        var client = LoadBalancedGateway.NewIPv4Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= 100; i++)
        {
            using var resend = await gateway.PostAsJsonAsync("/api/sessions/mfa/sms", new { mfaToken = "no-such-token" }, client);
            statuses.Add(resend.StatusCode);
        }
        statuses.Take(100).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses[100].ShouldBe(HttpStatusCode.TooManyRequests);

        using var signIn = await gateway.PostAsJsonAsync("/api/sessions", new { email = PlatformFixture.NewEmail("limits"), password = "whatever it is" }, client);
        signIn.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var refresh = await gateway.PostAsJsonAsync("/api/sessions/refresh", new { refreshToken = "no-such-token" }, client);
        refresh.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var step = await gateway.PostAsJsonAsync("/api/sessions/mfa", new { mfaToken = "no-such-token", method = "totp", code = "123456" }, client);
        step.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
