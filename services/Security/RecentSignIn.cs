using System.Globalization;
using System.Security.Claims;
using AuthPlatform.Web.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Security;

/// <summary>The claims of a platform access token, read one way everywhere.</summary>
public static class SignedInCaller
{
    /// <summary>The refresh-token family of the sign-in; absent in tokens minted from an access key.</summary>
    public const string SessionIdClaim = "sid";
    public const string AuthenticatedAtClaim = "auth_time";
    public const string AccessKeyMethod = "key";

    public static Guid? AccountId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue("sub"), out var id) ? id : null;

    public static Guid? SessionId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SessionIdClaim), out var id) ? id : null;

    public static DateTimeOffset? AuthenticatedAt(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(AuthenticatedAtClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static bool HoldsAccessKeyToken(this ClaimsPrincipal user) =>
        user.FindAll("amr").Any(c => c.Value == AccessKeyMethod) || user.SessionId() is null;
}

/// <summary>
/// Endpoint filters for changes that could lock the owner out (second factors, access keys, password): a token
/// minted from an access key never makes them, and a session must have proven itself recently
/// (POST /api/sessions/reauthenticate renews the proof).
/// </summary>
public static class RecentSignIn
{
    public static IHostApplicationBuilder AddRecentSignInRule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecentSignInOptions>().BindConfiguration(RecentSignInOptions.Section)
            .Validate(o => o.IsValid(), "RecentSignIn:MaxAge must be between 0 and 1 hour.").ValidateOnStart();
        return builder;
    }

    /// <summary>Refuses tokens minted from an access key (403 access-key-token).</summary>
    public static TBuilder RequireSessionToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.User.HoldsAccessKeyToken() ? AccessKeyToken() : await next(context));

    /// <summary>Also refuses sessions whose last proof is older than RecentSignIn:MaxAge (403 reauthentication-required).</summary>
    public static TBuilder RequireRecentSignIn<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var user = context.HttpContext.User;
            if (user.HoldsAccessKeyToken())
            {
                return AccessKeyToken();
            }
            var services = context.HttpContext.RequestServices;
            var maxAge = services.GetRequiredService<IOptions<RecentSignInOptions>>().Value.MaxAge;
            var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
            if (user.AuthenticatedAt() is not { } provenAt || now - provenAt > maxAge)
            {
                return Results.Problem(
                    $"This change needs a recent sign-in (within {maxAge.TotalMinutes:0} minutes). Confirm your password (and second factor) at POST /api/sessions/reauthenticate, then try again.",
                    statusCode: 403, title: "Reauthentication required", type: ProblemTypes.Base + "reauthentication-required");
            }
            return await next(context);
        });

    private static IResult AccessKeyToken() =>
        Results.Problem("A token obtained with an access key cannot do this. Sign in with your password.",
            statusCode: 403, title: "Not allowed with an access key", type: ProblemTypes.Base + "access-key-token");
}
