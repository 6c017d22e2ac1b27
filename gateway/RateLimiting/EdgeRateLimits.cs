using System.Threading.RateLimiting;
using AuthPlatform.Web;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Gateway.RateLimiting;

/// <summary>The edge's rate-limit policies, one per kind of request; routes name theirs (<c>RouteConfig.RateLimiterPolicy</c>).</summary>
public static class EdgeRateLimits
{
    public const string SignIn = "sign-in";
    public const string Refresh = "refresh";
    public const string MfaStep = "mfa-step";
    public const string SmsResend = "sms-resend";
    public const string AccessKeyToken = "access-key-token";
    public const string MfaSettings = "mfa-settings";
    public const string SignUp = "sign-up";
    public const string EmailResend = "email-resend";
    public const string PasswordReset = "password-reset";

    /// <summary>Each policy with the setting that sets its requests per minute.</summary>
    public static readonly IReadOnlyDictionary<string, Func<EdgeRateLimitOptions, int>> PerMinute = new Dictionary<string, Func<EdgeRateLimitOptions, int>>
    {
        [SignIn] = limits => limits.SignInPerMinute,
        [Refresh] = limits => limits.RefreshPerMinute,
        [MfaStep] = limits => limits.MfaStepPerMinute,
        [SmsResend] = limits => limits.SmsResendPerMinute,
        [AccessKeyToken] = limits => limits.AccessKeyTokenPerMinute,
        [MfaSettings] = limits => limits.MfaPerMinute,
        [SignUp] = limits => limits.SignUpPerMinute,
        [EmailResend] = limits => limits.ResendPerMinute,
        [PasswordReset] = limits => limits.PasswordResetPerMinute,
    };

    public static IHostApplicationBuilder AddEdgeRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeRateLimitOptions>().BindConfiguration(EdgeRateLimitOptions.Section)
            .Validate(limits => limits.IsValid(), "Every Gateway:RateLimits:*PerMinute must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<EdgeRateLimitOptions>>((options, configured) =>
        {
            var limits = configured.Value;
            foreach (var (policy, perMinute) in PerMinute)
            {
                var permits = perMinute(limits);
                // One window per client network and policy: a flood of one kind never spends another's budget.
                options.AddPolicy(policy, context => RateLimitPartition.GetFixedWindowLimiter(ClientNetwork.Of(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            }
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = RetryAfterHeader.Set(rejected.HttpContext.Response, retryAfter);
                if (Routing.GatewayRoutes.IsPortalPath(rejected.HttpContext.Request.Path))
                {
                    await RefusalPage.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                        $"Too many requests from your network. Try again in {seconds} seconds.");
                    return;
                }
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    type: ProblemTypes.Base + "too-many-requests",
                    detail: $"Too many requests from this address. Try again in {seconds} seconds.").ExecuteAsync(rejected.HttpContext);
            };
        });
        builder.Services.AddRateLimiter(_ => { });
        return builder;
    }
}
