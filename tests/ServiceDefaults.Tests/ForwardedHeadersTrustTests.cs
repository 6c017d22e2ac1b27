using AuthPlatform.Web.Proxies;

namespace AuthPlatform.ServiceDefaults.Tests;

public sealed class ForwardedHeadersTrustTests(ServiceDefaultsPlatform platform)
{
    private static ForwardedHeadersTrustOptions Trust(bool behindProxy = false, string[]? proxies = null, string[]? networks = null) =>
        new() { BehindProxy = behindProxy, KnownProxies = [.. proxies ?? []], KnownNetworks = [.. networks ?? []] };

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    public void Production_refuses_trust_from_everywhere(string network)
    {
        ForwardedHeadersTrust.Problems(Trust(behindProxy: true, networks: [network]), production: true)
            .ShouldHaveSingleItem().ShouldContain("trusted from everywhere");
        ForwardedHeadersTrust.Problems(Trust(proxies: ["0.0.0.0"]), production: true).ShouldHaveSingleItem();
    }

    [Fact]
    public void Production_refuses_a_proxy_in_front_that_is_trusted_from_nowhere() =>
        ForwardedHeadersTrust.Problems(Trust(behindProxy: true), production: true)
            .ShouldHaveSingleItem().ShouldContain("BehindProxy");

    [Fact]
    public void Named_proxies_and_networks_and_no_proxy_at_all_are_accepted()
    {
        ForwardedHeadersTrust.Problems(Trust(behindProxy: true, proxies: ["10.0.0.5"], networks: ["10.1.0.0/16", "fd00:1::/64"]), production: true)
            .ShouldBeEmpty();
        ForwardedHeadersTrust.Problems(Trust(), production: true).ShouldBeEmpty();
        // Local runs may be loose; only Production refuses.
        ForwardedHeadersTrust.Problems(Trust(behindProxy: true, networks: ["0.0.0.0/0"]), production: false).ShouldBeEmpty();
    }

    [Fact]
    public void Unparsable_entries_are_refused_in_every_environment()
    {
        ForwardedHeadersTrust.Problems(Trust(proxies: ["gateway.internal"]), production: false).ShouldHaveSingleItem().ShouldContain("not an IP address");
        ForwardedHeadersTrust.Problems(Trust(networks: ["10.0.0.0/33"]), production: false).ShouldHaveSingleItem().ShouldContain("CIDR");
    }

    [Theory]
    [InlineData("account", "ForwardedHeaders__KnownNetworks__0", "0.0.0.0/0", "trusted from everywhere")]
    [InlineData("gateway", "ForwardedHeaders__BehindProxy", "true", "BehindProxy is set")]
    public async Task A_Production_process_with_unsafe_forwarded_header_trust_refuses_to_start(string service, string setting, string value, string message)
    {
        var instance = platform.Fleet.StartAdditional(service, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            // Production also insists on https; only the forwarded-header trust is wrong here.
            ["PublicBaseUrl"] = "https://id.example.test",
            [setting] = value,
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await instance.Process.WaitForExitAsync(timeout.Token);

        instance.Process.HasExited.ShouldBeTrue();
        instance.Process.LogTail(200).ShouldContain(message);
    }
}
