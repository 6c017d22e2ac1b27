using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

using Microsoft.Extensions.Hosting;

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
    /// connection refused (<see cref="UnreachableEndpointRetry"/>): that request never arrived anywhere.
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
            // Outermost, around service discovery, so that each attempt is sent to the next endpoint.
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Insert(0, new UnreachableEndpointRetry()));
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
    /// A call whose endpoint refused the connection is sent to the callee's next endpoint (service discovery takes
    /// them in turn): it never reached the dead replica, so nothing can happen twice; a GET is resent also when a
    /// kept-alive connection broke under it. Without it, every call that discovery sends to a killed mfa replica fails
    /// until the replica is back, since discovery does not probe them.
    /// </summary>
    private sealed class UnreachableEndpointRetry : DelegatingHandler
    {
        // Enough for the replicas a callee runs here; a callee whose every endpoint refuses fails as before (503).
        private const int MaxAttempts = 3;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await base.SendAsync(request, cancellationToken);
                }
                // A GET (a read, such as the 2FA state) also when a kept-alive connection broke under it.
                catch (HttpRequestException ex) when ((ex.HttpRequestError == HttpRequestError.ConnectionError || request.Method == HttpMethod.Get)
                    && attempt < MaxAttempts)
                {
                }
            }
        }
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
