using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using AuthPlatform.ServiceDefaults.Proxies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// The Aspire "ServiceDefaults" template, kept in its shape: OpenTelemetry, health checks,
// service discovery and resilient HttpClient defaults for every service.
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string LiveTag = "live";

    /// <exception cref="InvalidOperationException">In Production, PublicBaseUrl is missing or not https.</exception>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        RequireHttpsPublicBaseUrlInProduction(builder);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestProblemHandler>();
        builder.Services.AddExceptionHandler<DependencyUnavailableHandler>();
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

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "Npgsql", "AuthPlatform.*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, "MassTransit", "Npgsql", "AuthPlatform.*")
                .AddAspNetCoreInstrumentation(options =>
                    // Probes are noise in the dashboard's trace view.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>Forwarded headers from the gateway, then problem+json for errors and bare status codes.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
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

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Mapped in every environment: orchestrators probe them. They reveal no detail, only the status.
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });
        return app;
    }
}
