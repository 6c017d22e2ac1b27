using AuthPlatform.Web.Problems;
using AuthPlatform.Web.Proxies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How every service's HTTP API behaves beyond the hosting defaults: problem+json for every error, strict JSON,
/// forwarded headers only from the gateway's hop, correlation ids in the logs, and an https public URL in Production.
/// </summary>
public static class WebConventions
{
    /// <exception cref="InvalidOperationException">In Production, PublicBaseUrl is missing or not https.</exception>
    public static IHostApplicationBuilder AddWebConventions(this IHostApplicationBuilder builder)
    {
        RequireHttpsPublicBaseUrlInProduction(builder);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestProblemHandler>();
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            // A field the API does not know is a client bug, not something to ignore silently.
            options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.RespectRequiredConstructorParameters = true;
            options.SerializerOptions.RespectNullableAnnotations = true;
        });
        // Only the gateway's hop is trusted (loopback by default; more via ForwardedHeaders:KnownProxies/KnownNetworks).
        builder.AddForwardedHeadersTrust();
        return builder;
    }

    /// <summary>
    /// Links in emails, the token issuer and SMS origin binding all come from PublicBaseUrl: in Production it must be
    /// https, or links would send tokens in clear and the issuer would not match the real origin.
    /// </summary>
    private static void RequireHttpsPublicBaseUrlInProduction(IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsProduction())
        {
            return;
        }
        foreach (var key in new[] { "PublicBaseUrl", "Identity:Issuer" })
        {
            var value = builder.Configuration[key];
            if ((key == "PublicBaseUrl" || value is not null)
                && !(Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(url.UserInfo)))
            {
                throw new InvalidOperationException(
                    $"{key} must be an absolute https:// URL in Production (e.g. https://auth.example.com); it is '{value}'.");
            }
        }
    }

    /// <summary>Forwarded headers from the gateway, then problem+json for errors and bare status codes.</summary>
    public static WebApplication UseWebConventions(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Tag logs with the gateway's correlation id; optionally name the instance that answered, so
        // operators (and the tests) can see how requests spread over replicas.
        var servedBy = app.Configuration.GetValue<bool>("Diagnostics:ServedByHeader")
            ? $"{app.Configuration["OTEL_SERVICE_NAME"] ?? app.Environment.ApplicationName}/{Environment.ProcessId}"
            : null;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AuthPlatform.Requests");
        app.Use(async (context, next) =>
        {
            if (servedBy is not null)
            {
                context.Response.Headers["X-Served-By"] = servedBy;
            }
            var correlationId = context.Request.Headers["X-Correlation-Id"].ToString();
            using (correlationId.Length is > 0 and <= 64
                ? logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId })
                : null)
            {
                await next(context);
            }
        });
        return app;
    }
}
