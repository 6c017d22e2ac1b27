using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// The browser's session with the portal: the API's access and refresh tokens live inside the encrypted session
/// cookie (a Data Protection ticket the browser cannot read), never in a page, a URL or browser storage.
/// </summary>
public sealed class PortalSession(PlatformApi api, TimeProvider time, IOptions<PortalOptions> options)
{
    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
    public const string ExpiresAt = "expires_at";
    public const string CheckedAt = "checked_at";
    public const string EmailClaim = ClaimTypes.Email;

    /// <summary>Signs the browser in with an API answer's tokens; a problem when it carries none or the API would not say whose they are.</summary>
    public Task<ApiProblem?> StartAsync(HttpContext context, SignInResponse answer) =>
        answer is { AccessToken: { } accessToken, ExpiresIn: { } expiresIn }
            ? StartAsync(context, accessToken, answer.RefreshToken, expiresIn)
            : Task.FromResult<ApiProblem?>(ApiProblem.Unreachable);

    /// <summary>Signs the browser in with fresh tokens; a problem when the API would not say whose they are.</summary>
    public async Task<ApiProblem?> StartAsync(HttpContext context, string accessToken, string? refreshToken, int expiresIn)
    {
        var profile = await api.GetProfileAsync(accessToken, context.RequestAborted);
        if (profile.Value is not { } me)
        {
            return profile.Problem ?? ApiProblem.Unreachable;
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, me.Id.ToString()), new Claim(EmailClaim, me.Email)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        var properties = new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = time.GetUtcNow() + options.Value.SessionLifetime,
            AllowRefresh = false,
        };
        Store(properties, accessToken, refreshToken, expiresIn);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
        // The signed-in principal is what the rest of this request sees too (e.g. a page rendered right after).
        context.User = new ClaimsPrincipal(identity);
        return null;
    }

    /// <summary>The current access token (refreshed by <see cref="SessionRefresh"/> before it expires).</summary>
    public static Task<string?> AccessTokenOf(HttpContext context) => context.GetTokenAsync(AccessToken);

    /// <summary>Ends the session at the API (its refresh token family is revoked) and in the browser.</summary>
    public async Task EndAsync(HttpContext context)
    {
        if (await context.GetTokenAsync(RefreshToken) is { } refreshToken)
        {
            await api.SignOutAsync(refreshToken, context.RequestAborted);
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>Keeps a refreshed answer's tokens in the session; false (nothing changed) when the answer carries none.</summary>
    public bool Store(AuthenticationProperties properties, SignInResponse answer)
    {
        if (answer is not { AccessToken: { } accessToken, ExpiresIn: { } expiresIn })
        {
            return false;
        }
        Store(properties, accessToken, answer.RefreshToken, expiresIn);
        return true;
    }

    private void Store(AuthenticationProperties properties, string accessToken, string? newRefreshToken, int expiresIn)
    {
        var refreshToken = newRefreshToken ?? properties.GetTokenValue(RefreshToken);
        var now = time.GetUtcNow();
        var expiresAt = now.AddSeconds(expiresIn).ToString("o", CultureInfo.InvariantCulture);
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = AccessToken, Value = accessToken },
            .. refreshToken is null ? Array.Empty<AuthenticationToken>() : [new AuthenticationToken { Name = RefreshToken, Value = refreshToken }],
            new AuthenticationToken { Name = ExpiresAt, Value = expiresAt },
            new AuthenticationToken { Name = CheckedAt, Value = now.ToString("o", CultureInfo.InvariantCulture) },
        ]);
    }
}
