using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;

namespace AuthPlatform.Internal;

/// <summary>Service-to-service calls on /internal paths: how they are made and how their refusals are passed on.</summary>
public static class InternalCalls
{
    /// <summary>The account a call is about: sent as the service token's <c>sub</c>.</summary>
    public static readonly HttpRequestOptionsKey<Guid> Subject = new("internal-subject");

    /// <summary>The end user's address: sent as the service token's <c>client_addr</c>.</summary>
    public static readonly HttpRequestOptionsKey<string?> ClientAddress = new("internal-client-address");

    /// <summary>
    /// A typed client for another service's /internal API on its internal endpoint (services__&lt;name&gt;__internal__i),
    /// each request carrying a fresh service token for that service; a 10 s timeout and no automatic retries: these
    /// calls spend things (a code attempt, a link token), so each must happen at most once. The one exception is a
    /// connection refused (<see cref="UnreachableEndpointFailover"/>): that request never arrived anywhere.
    /// Without IHttpClientFactory's logging handlers: they log at Information only (services keep
    /// System.Net.Http.HttpClient at Warning) yet open a logging scope for every call, about 7 % of account's CPU per
    /// <c>GET /api/accounts/me</c>; traces show these calls (docs/benchmarks.md, seventh pass).
    /// </summary>
    public static IHttpClientBuilder AddInternalClient<TClient>(this IServiceCollection services, string serviceName) where TClient : class
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented opt-out
        return services.AddHttpClient<TClient>(http =>
            {
                http.BaseAddress = new Uri($"http://_internal.{serviceName}");
                http.Timeout = TimeSpan.FromSeconds(10);
            })
            .AddHttpMessageHandler(sp => new ServiceTokenHandler(sp.GetRequiredService<InternalTokens>(), serviceName))
            .RemoveAllResilienceHandlers()
            .RemoveAllLoggers()
            // Innermost, inside service discovery, so that it sees the endpoint a request went to.
            .ConfigureAdditionalHttpMessageHandlers((handlers, services) =>
                handlers.Add(new UnreachableEndpointFailover(services.GetRequiredService<ServiceEndpointResolver>(), $"http://_internal.{serviceName}")));
#pragma warning restore EXTEXP0001
    }

    /// <summary>A request to an /internal path about <paramref name="accountId"/>, on behalf of a user at <paramref name="clientAddress"/>.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, Guid? accountId = null, string? clientAddress = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (accountId is { } id)
        {
            request.Options.Set(Subject, id);
        }
        if (clientAddress is not null)
        {
            request.Options.Set(ClientAddress, clientAddress);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return request;
    }

    /// <summary>The callee refused our service token: a deployment fault (keys, admitted callers), never the user's.</summary>
    public static bool IsRefusedServiceToken(HttpResponseMessage response) =>
        response.StatusCode == System.Net.HttpStatusCode.Unauthorized
            && response.Headers.WwwAuthenticate.Any(h => h.Scheme == InternalApi.Scheme);

    /// <summary>
    /// A call whose endpoint refused the connection goes to the callee's other endpoints in turn: it never reached the
    /// dead replica, so nothing can happen twice; a GET goes on also when a kept-alive connection broke under it.
    /// Service discovery does not probe replicas, and its round robin is shared by every concurrent call: resent
    /// through it, a call can land on the dead replica again (a 503 seen 2.5 s after an mfa replica was killed).
    /// Here, inside it, the failed endpoint is known and skipped.
    /// </summary>
    private sealed class UnreachableEndpointFailover(ServiceEndpointResolver resolver, string serviceName) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sentTo = request.RequestUri!;
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex) when (SafeToResend(ex, request))
            {
                var others = (await resolver.GetEndpointsAsync(serviceName, cancellationToken)).Endpoints
                    .Select(e => e.EndPoint switch
                    {
                        UriEndPoint uri => (Host: uri.Uri.Host, uri.Uri.Port),
                        IPEndPoint ip => (Host: ip.Address.ToString(), ip.Port),
                        DnsEndPoint dns => (Host: dns.Host, dns.Port),
                        _ => (Host: "", Port: 0),
                    })
                    .Where(e => e.Port != 0 && (e.Port != sentTo.Port || !string.Equals(e.Host, sentTo.Host, StringComparison.OrdinalIgnoreCase)))
                    .Distinct()
                    .ToList();
                foreach (var (host, port) in others)
                {
                    request.RequestUri = new UriBuilder(sentTo) { Host = host, Port = port }.Uri;
                    try
                    {
                        return await base.SendAsync(request, cancellationToken);
                    }
                    catch (HttpRequestException next) when (SafeToResend(next, request))
                    {
                    }
                    finally
                    {
                        request.RequestUri = sentTo;
                    }
                }
                throw;
            }
        }

        // A GET (a read, such as the 2FA state) may go on also when a kept-alive connection broke under it.
        private static bool SafeToResend(HttpRequestException ex, HttpRequestMessage request) =>
            ex.HttpRequestError == HttpRequestError.ConnectionError || request.Method == HttpMethod.Get;
    }

    private sealed class ServiceTokenHandler(InternalTokens tokens, string audience) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var subject = request.Options.TryGetValue(Subject, out var id) ? id.ToString() : null;
            request.Options.TryGetValue(ClientAddress, out var clientAddress);
            request.Headers.Authorization = new AuthenticationHeaderValue(InternalApi.Scheme, tokens.Mint(audience, subject, clientAddress));
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Passes another service's problem+json refusal (status, type, title, detail, Retry-After) on unchanged.</summary>
    public static ProblemHttpResult RelayProblem(HttpContext context, int status, JsonElement? problem, string? retryAfter)
    {
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        string? Field(string name) => problem is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var v) ? v.GetString() : null;
        return TypedResults.Problem(Field("detail"), statusCode: status, title: Field("title"), type: Field("type"));
    }
}
