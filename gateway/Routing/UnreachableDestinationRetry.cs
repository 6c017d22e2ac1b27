using System.Net.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace AuthPlatform.Gateway.Routing;

/// <summary>
/// A request whose replica refused the connection goes to another replica of the same service. The request never
/// reached the dead replica, so sending it elsewhere is safe even for a POST; a GET or HEAD is sent elsewhere too when
/// the connection broke under it. Between a replica's death and the active health check taking it out of rotation,
/// clients see no failure.
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
                if (context.GetForwarderErrorFeature() is not { } error || !SafeToResend(error, context.Request.Method) || context.Response.HasStarted
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

    // A refused or failed connection: the request was never sent, so nothing could have happened twice. A GET or HEAD
    // also when a kept-alive connection broke under it (a replica killed a moment ago): reading twice changes nothing.
    private static bool SafeToResend(IForwarderErrorFeature error, string method) =>
        error.Error == ForwarderError.Request && error.Exception is HttpRequestException transport
            && (transport.HttpRequestError == HttpRequestError.ConnectionError || HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
}
