using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Sessions;

/// <summary>How a password sign-in ended: refused (the problem), a second factor due (the code page is next), or signed in.</summary>
public sealed record PasswordSignInResult(ApiProblem? Problem, bool SecondFactorDue = false, string? AccessToken = null);

/// <summary>
/// A password sign-in from any page that asks for one (sign-in, linking Google): POST /api/sessions with this
/// browser's device token, the renewed device token kept, the second step remembered for the code page (which then
/// goes to <c>afterSecondFactor</c>), or the session started.
/// </summary>
public sealed class PasswordSignIn(PlatformApi api, PortalSession session, SealedCookie cookies, IOptions<PortalOptions> options)
{
    public async Task<PasswordSignInResult> SignInAsync(HttpContext http, string email, string password, string afterSecondFactor)
    {
        var device = cookies.Read<DeviceToken>(http, PortalCookies.Device);
        var answer = await api.SignInAsync(email, password, device?.Value, http.RequestAborted);
        if (answer.Value is not { } signIn)
        {
            return new(answer.Problem!);
        }
        if (signIn.DeviceToken is { Length: > 0 } deviceToken)
        {
            cookies.Write(http, PortalCookies.Device, new DeviceToken(deviceToken), DeviceToken.Lifetime);
        }
        if (signIn.MfaRequired && signIn.MfaToken is { } mfaToken)
        {
            cookies.Write(http, PortalCookies.SignInStep, new PendingSignIn(mfaToken, signIn.Methods ?? [FactorMethods.Totp], afterSecondFactor),
                options.Value.SignInStepLifetime);
            return new(null, SecondFactorDue: true);
        }
        if (signIn.AccessToken is null || signIn.ExpiresIn is null)
        {
            return new(ApiProblem.Unreachable);
        }
        if (await session.StartAsync(http, new SessionTokens(signIn.AccessToken, signIn.RefreshToken, signIn.ExpiresIn.Value)) is { } problem)
        {
            return new(problem);
        }
        return new(null, AccessToken: signIn.AccessToken);
    }
}
