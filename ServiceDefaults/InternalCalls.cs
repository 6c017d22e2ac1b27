using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Service-to-service calls on /internal paths: how they are made and how their refusals are passed on.</summary>
public static class InternalCalls
{
    /// <summary>
    /// A typed client for another service's /internal API, found by service discovery, with a 10 s timeout and no
    /// automatic retries: these calls spend things (a code attempt, a link token), so each must happen at most once.
    /// </summary>
    public static IHttpClientBuilder AddInternalClient<TClient>(this IServiceCollection services, string serviceName) where TClient : class
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented opt-out
        return services.AddHttpClient<TClient>(http =>
            {
                http.BaseAddress = new Uri($"http://{serviceName}");
                http.Timeout = TimeSpan.FromSeconds(10);
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
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
