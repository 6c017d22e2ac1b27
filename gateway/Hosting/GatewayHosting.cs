using System.Diagnostics;
using System.Text.RegularExpressions;
using AuthPlatform.Gateway.RateLimiting;
using AuthPlatform.Gateway.Routing;
using AuthPlatform.Web.Proxies;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Transforms;

namespace AuthPlatform.Gateway.Hosting;

/// <summary>The gateway's services and its edge middleware (correlation id, /internal refused, body limit, rate limits).</summary>
public static partial class GatewayHosting
{
    public const string CorrelationIdHeader = "X-Correlation-Id";

    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section)
            .Validate(gateway => gateway.IsValid(), "Gateway: MaxRequestBodyBytes, HealthProbeInterval, HealthProbeTimeout and UnhealthyAfterFailedProbes must be positive.")
            .ValidateOnStart();
        // The route table is built before the container, so it reads the same section directly.
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);

        builder.AddEdgeRateLimits();
        builder.Services.AddReverseProxy()
            .LoadFromMemory(GatewayRoutes.Routes(), GatewayRoutes.Clusters(options))
            // "http://mfa" becomes one destination per endpoint service discovery knows (services__mfa__http__0, __1, …),
            // each balanced and probed on its own.
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms =>
                // The gateway is the edge: whatever X-Forwarded-* a client sends is replaced, never appended to.
                transforms.AddXForwarded(ForwardedTransformActions.Set));
        return builder;
    }

    public static WebApplication UseGatewayEdge(this WebApplication app)
    {
        // Behind a load balancer, trust its X-Forwarded-For only when it is configured (ForwardedHeaders:*);
        // otherwise the client's own address is the one services see.
        app.UseForwardedHeadersAtEdge();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        var limit = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.MaxRequestBodyBytes;
        app.Use(async (context, next) =>
        {
            var correlationId = context.Request.Headers[CorrelationIdHeader].ToString();
            if (!IsSafeCorrelationId(correlationId))
            {
                correlationId = Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
            }
            context.Request.Headers[CorrelationIdHeader] = correlationId;
            context.Response.Headers[CorrelationIdHeader] = correlationId;

            // Internal service-to-service endpoints are never reachable from outside.
            if (context.Request.Path.StartsWithSegments("/internal", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            // Refuse a declared oversized body before any of it is read; chunked bodies hit Kestrel's limit.
            if (context.Request.ContentLength > limit)
            {
                if (GatewayRoutes.IsPortalPath(context.Request.Path))
                {
                    await RefusalPage.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "That was too much to send",
                        "What you entered is too long. Go back and shorten it.");
                    return;
                }
                await Results.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request body too large",
                    detail: $"Request bodies are limited to {limit} bytes.").ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    /// <summary>An unknown path under an API-only prefix is a 404 problem here, not a portal page.</summary>
    public static WebApplication MapApiOnlyPrefixes(this WebApplication app)
    {
        foreach (var prefix in GatewayRoutes.ApiOnlyPrefixes)
        {
            app.Map(prefix + "/{**rest}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found"))
                .ExcludeFromDescription();
        }
        return app;
    }

    private static bool IsSafeCorrelationId(string value) => value.Length is > 0 and <= 64 && SafeCorrelationId().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SafeCorrelationId();
}
