using System.Net;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace AuthPlatform.Gateway.Extensions;

/// <summary>
/// Stands in for Microsoft.Extensions.ServiceDiscovery.Yarp (not in the package mirror here): expands a
/// destination such as "http://mfa" into one destination per endpoint that service discovery knows,
/// i.e. services__mfa__http__0, services__mfa__http__1, …, so each replica is balanced and health-checked.
/// </summary>
public sealed class ServiceDestinationResolver(ServiceEndpointResolver endpoints) : IDestinationResolver
{
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
        IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, DestinationConfig>();
        var changeTokens = new List<IChangeToken>();
        foreach (var (name, destination) in destinations)
        {
            var serviceUri = new Uri(destination.Address);
            var source = await endpoints.GetEndpointsAsync(destination.Address, cancellationToken);
            changeTokens.Add(source.ChangeToken);
            var index = 0;
            foreach (var endpoint in source.Endpoints)
            {
                var address = ToUri(endpoint.EndPoint, serviceUri.Scheme);
                resolved[$"{name}/{index++}"] = destination with { Address = address.ToString(), Host = destination.Host };
            }
        }
        return new ResolvedDestinationCollection(resolved, new CompositeChangeToken(changeTokens));
    }

    internal static Uri ToUri(EndPoint endPoint, string scheme) => endPoint switch
    {
        UriEndPoint uri => uri.Uri,
        DnsEndPoint dns => new UriBuilder(scheme, dns.Host, dns.Port == 0 ? -1 : dns.Port).Uri,
        IPEndPoint ip => new UriBuilder(scheme, ip.Address.ToString(), ip.Port).Uri,
        _ => throw new InvalidOperationException($"Unsupported endpoint type {endPoint.GetType().Name}."),
    };
}
