using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Web.Proxies;

/// <summary>
/// Turns <see cref="ForwardedHeadersTrustOptions"/> into the framework's <see cref="ForwardedHeadersOptions"/> and
/// refuses a configuration that would make every per-client limit useless: in Production, trust from everywhere
/// (a /0 network: anyone can claim any address) or from nowhere while a proxy is said to be in front (everyone
/// arrives with the proxy's address and shares one bucket). Unparsable entries are refused in every environment.
/// </summary>
public static class ForwardedHeadersTrust
{
    public static IHostApplicationBuilder AddForwardedHeadersTrust(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersTrustOptions>().BindConfiguration(ForwardedHeadersTrustOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardedHeadersTrustOptions>>(new Validator(builder.Environment.IsProduction()));
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersTrustOptions>>((options, trust) =>
        {
            // Loopback stays trusted (the framework's default): the gateway on the same host.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in trust.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in trust.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>What is wrong with the settings; empty when they may be used.</summary>
    public static IReadOnlyList<string> Problems(ForwardedHeadersTrustOptions options, bool production)
    {
        var problems = new List<string>();
        foreach (var proxy in options.KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out var address))
            {
                problems.Add($"ForwardedHeaders:KnownProxies has \"{proxy}\", which is not an IP address.");
            }
            else if (production && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
            {
                problems.Add($"ForwardedHeaders:KnownProxies has \"{proxy}\"; name the proxy's own address.");
            }
        }
        foreach (var network in options.KnownNetworks)
        {
            if (!System.Net.IPNetwork.TryParse(network, out var parsed))
            {
                problems.Add($"ForwardedHeaders:KnownNetworks has \"{network}\", which is not a network in CIDR notation (e.g. 10.0.0.0/24).");
            }
            else if (production && parsed.PrefixLength == 0)
            {
                problems.Add($"ForwardedHeaders:KnownNetworks has \"{network}\": forwarded headers would be trusted from everywhere, so any client could claim any address.");
            }
        }
        if (production && options.BehindProxy && options.KnownProxies.Count == 0 && options.KnownNetworks.Count == 0)
        {
            problems.Add("ForwardedHeaders:BehindProxy is set but no ForwardedHeaders:KnownProxies or KnownNetworks are given: every client would share the proxy's address.");
        }
        return problems;
    }

    /// <summary>At the edge (the gateway), forwarded headers are read only when a proxy is configured in front.</summary>
    public static WebApplication UseForwardedHeadersAtEdge(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersTrustOptions>>().Value.TrustsAProxy)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }

    private sealed class Validator(bool production) : IValidateOptions<ForwardedHeadersTrustOptions>
    {
        public ValidateOptionsResult Validate(string? name, ForwardedHeadersTrustOptions options) =>
            Problems(options, production) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
