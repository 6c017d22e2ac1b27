using System.Net.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace AuthPlatform.Gateway.Routing;

/// <summary>
/// A request whose replica refused the connection goes to another replica of the same service. The request never
/// reached the dead replica, so sending it elsewhere is safe even for a POST; between a replica's death and the
/// active health check taking it out of rotation, clients see no failure.
/// </summary>
public static class UnreachableDestinationRetry
{
    public static IReverseProxyApplicationBuilder UseUnreachableDestinationRetry(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            // Rewindable, so a retry can send the same body (bodies are capped by the edge's size limit).
            context.Request.EnableBuffering();
            var proxyFeature = context.GetReverseProxyFeature();
            var candidates = proxyFeature.AvailableDestinations;
            while (true)
            {
                await next();
                if (context.GetForwarderErrorFeature() is not { } error || !NeverReached(error) || context.Response.HasStarted
                    || proxyFeature.ProxiedDestination is not { } unreachable)
                {
                    return;
                }
                candidates = [.. candidates.Where(d => d != unreachable)];
                if (candidates.Count == 0)
                {
                    return; // every replica refused: the 502 stands
                }
                proxyFeature.AvailableDestinations = candidates;
                context.Features.Set<IForwarderErrorFeature>(null);
                context.Response.Clear();
                context.Request.Body.Position = 0;
            }
        });
        return proxy;
    }

    // Only a refused or failed connection: the request was never sent, so nothing could have happened twice.
    private static bool NeverReached(IForwarderErrorFeature error) =>
        error.Error == ForwarderError.Request && error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
}
