using System.Threading.RateLimiting;
using AuthPlatform.Web;
using Microsoft.AspNetCore.RateLimiting;

namespace AuthPlatform.Gateway.Extensions;

/// <summary>
/// Per-IP limits at the edge (design §5). They back up the services' per-account throttles and never replace
/// them; the defaults let a small office behind one NAT work.
/// </summary>
public sealed class EdgeRateLimitOptions
{
    public int SignInPerMinute { get; set; } = 100;

    public int MfaPerMinute { get; set; } = 100;

    public int SignUpPerMinute { get; set; } = 20;

    public int ResendPerMinute { get; set; } = 20;

    public int PasswordResetPerMinute { get; set; } = 20;
}

public static class EdgeRateLimits
{
    /// <summary>Which limit a request counts against, or null for none.</summary>
    public static (string Bucket, int PerMinute)? BucketFor(HttpRequest request, EdgeRateLimitOptions limits)
    {
        var path = request.Path;
        if (HttpMethods.IsPost(request.Method))
        {
            if (path.Equals("/api/accounts", StringComparison.OrdinalIgnoreCase) || path.Equals("/api/accounts/", StringComparison.OrdinalIgnoreCase))
            {
                return ("sign-up", limits.SignUpPerMinute);
            }
            if (path.StartsWithSegments("/api/accounts/password-reset", StringComparison.OrdinalIgnoreCase))
            {
                return ("password-reset", limits.PasswordResetPerMinute);
            }
            if (path.StartsWithSegments("/api/verification/email/resend", StringComparison.OrdinalIgnoreCase))
            {
                return ("resend", limits.ResendPerMinute);
            }
            if (path.StartsWithSegments("/api/sessions", StringComparison.OrdinalIgnoreCase)
                || path.StartsWithSegments("/connect/token", StringComparison.OrdinalIgnoreCase))
            {
                return ("sign-in", limits.SignInPerMinute);
            }
        }
        if (path.StartsWithSegments("/api/mfa", StringComparison.OrdinalIgnoreCase) && !HttpMethods.IsGet(request.Method))
        {
            return ("mfa", limits.MfaPerMinute);
        }
        return null;
    }

    public static IHostApplicationBuilder AddEdgeRateLimits(this IHostApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection("Gateway:RateLimits").Get<EdgeRateLimitOptions>() ?? new EdgeRateLimitOptions();
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (BucketFor(context.Request, limits) is not { } bucket)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }
                var client = ClientNetwork.Of(context);
                return RateLimitPartition.GetFixedWindowLimiter($"{bucket.Bucket}|{client}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, bucket.PerMinute),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = RetryAfterHeader.Set(rejected.HttpContext.Response, retryAfter);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    type: ProblemTypes.Base + "too-many-requests",
                    detail: $"Too many requests from this address. Try again in {seconds} seconds.").ExecuteAsync(rejected.HttpContext);
            };
        });
        return builder;
    }
}
