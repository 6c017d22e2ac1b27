using AuthPlatform.Contracts.Internal;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Sessions;

/// <summary>How a password sign-in ended: refused (the problem), a second factor due (the code page is next), or signed in.</summary>
public sealed record BrowserSignInResult(ApiProblem? Problem, bool SecondFactorDue = false, string? AccessToken = null);

/// <summary>
/// A password sign-in from any page that asks for one (sign-in, linking Google): POST /api/sessions with this
/// browser's device token, the renewed device token kept, the second step remembered for the code page (which then
/// goes to <c>afterSecondFactor</c>), or the session started (a remembered browser skips the second factor unless
/// <c>requireSecondFactor</c>: an app asked for it).
/// </summary>
public sealed class BrowserSignIn(PlatformApi api, PortalSession session, SealedCookie cookies, TimeProvider time, IOptions<PortalOptions> options)
{
    public async Task<BrowserSignInResult> SignInAsync(HttpContext http, string email, string password, string afterSecondFactor,
        bool requireSecondFactor = false)
    {
        var device = cookies.Read<DeviceToken>(http, PortalCookies.Device);
        var answer = await api.SignInAsync(email, password, device?.Value, requireSecondFactor, http.RequestAborted);
        if (answer.Value is not { } signIn)
        {
            return new(answer.Problem!);
        }
        KeepDeviceToken(http, signIn);
        if (signIn.MfaRequired && signIn.MfaToken is { } mfaToken)
        {
            cookies.Write(http, PortalCookies.SignInStep,
                new PendingSignIn(mfaToken, signIn.Methods ?? [FactorMethod.Totp], afterSecondFactor, signIn.RememberDeviceFor),
                options.Value.SignInStepLifetime);
            return new(null, SecondFactorDue: true);
        }
        if (await session.StartAsync(http, signIn) is { } problem)
        {
            return new(problem);
        }
        return new(null, AccessToken: signIn.AccessToken);
    }

    /// <summary>
    /// Keeps an answer's device token in the device cookie for as long as the API says: until the remembering ends when
    /// it keeps the device remembered (the cookie then goes with it), else until the token expires.
    /// </summary>
    public void KeepDeviceToken(HttpContext http, SignInResponse answer)
    {
        var until = answer.DeviceRememberedUntil ?? answer.DeviceTokenExpiresAt;
        var lifetime = until - time.GetUtcNow();
        if (answer.DeviceToken is { Length: > 0 } deviceToken && lifetime > TimeSpan.Zero)
        {
            cookies.Write(http, PortalCookies.Device, new DeviceToken(deviceToken), lifetime.Value);
        }
    }

    /// <summary>
    /// Whether the page after the sign-in is an app's authorization request that asks for a second factor
    /// (<c>acr_values=mfa</c>): then a remembered browser does not skip it.
    /// </summary>
    public static bool ReturnAsksForSecondFactor(string returnUrl)
    {
        var query = returnUrl.StartsWith(AuthorizationHandoffCalls.PortalConsentPath + "?", StringComparison.Ordinal)
            ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(returnUrl[(AuthorizationHandoffCalls.PortalConsentPath.Length + 1)..])
            : null;
        return query is not null && query.TryGetValue("acr_values", out var acr) && AuthorizationHandoffCalls.AsksForSecondFactor(acr.ToString());
    }
}
