using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// On each request with a session: an access token about to expire, or a session not checked for
/// <see cref="PortalOptions.SessionCheckInterval"/>, is swapped for new tokens (refresh rotation) and the cookie is rewritten; a session the platform ended (sign-out elsewhere, password reset) ends here too.
/// Redirects stay relative, so the browser never learns the portal's own address behind the gateway.
/// </summary>
public sealed partial class SessionRefresh(PlatformApi api, PortalSession session, RefreshSingleFlight singleFlight, TimeProvider time,
    IOptions<PortalOptions> options, ILogger<SessionRefresh> logger)
    : CookieAuthenticationEvents
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var properties = context.Properties;
        if (IsStaticAsset(context.HttpContext.Request.Path))
        {
            return;
        }
        var now = time.GetUtcNow();
        var expiresAt = Moment(properties, PortalSession.ExpiresAt);
        var checkedAt = Moment(properties, PortalSession.CheckedAt);
        if (expiresAt - Margin > now && checkedAt + options.Value.SessionCheckInterval > now)
        {
            return;
        }
        if (properties.GetTokenValue(PortalSession.RefreshToken) is not { } refreshToken)
        {
            await RejectAsync(context);
            return;
        }
        var refreshed = await singleFlight.RefreshAsync(refreshToken, () => api.RefreshAsync(refreshToken, CancellationToken.None));
        if (refreshed.Value is { } tokens)
        {
            // An answer without tokens keeps the session as it is, like an unreachable API.
            context.ShouldRenew = session.Store(properties, tokens);
            return;
        }
        if (refreshed.Problem!.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.BadRequest)
        {
            LogSessionEnded(logger);
            await RejectAsync(context);
        }
        // Unreachable or busy: keep the session; the page's own call will say "try again".
    }

    private static DateTimeOffset Moment(AuthenticationProperties properties, string name) =>
        DateTimeOffset.TryParse(properties.GetTokenValue(name), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var moment)
            ? moment
            : DateTimeOffset.MinValue;

    private static bool IsStaticAsset(PathString path) => path.StartsWithSegments("/css") || path.StartsWithSegments("/js");

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) => RedirectRelative(context);

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) => RedirectRelative(context);

    private static Task RedirectRelative(RedirectContext<CookieAuthenticationOptions> context)
    {
        var target = Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri;
        context.Response.Redirect(target);
        return Task.CompletedTask;
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A portal session ended at the platform; the browser is signed out")]
    private static partial void LogSessionEnded(ILogger logger);
}
