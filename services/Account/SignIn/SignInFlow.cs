using AuthPlatform.Account.Devices;
using AuthPlatform.Account.Throttling;
using AuthPlatform.Account.Tokens;

namespace AuthPlatform.Account.SignIn;

public enum SignInOutcomeKind
{
    /// <summary>No second factor: <see cref="SignInOutcome.Tokens"/> are set.</summary>
    SignedIn,
    /// <summary>2FA is on but the device is remembered: <see cref="SignInOutcome.Tokens"/> and <see cref="SignInOutcome.RememberedUntil"/> are set.</summary>
    SignedInOnRememberedDevice,
    /// <summary>
    /// 2FA is on: <see cref="SignInOutcome.MfaToken"/> and <see cref="SignInOutcome.Methods"/> are set (an SMS code is on
    /// its way); <see cref="SignInOutcome.RememberFor"/> is how long the second step may remember the device.
    /// </summary>
    SecondFactorRequired,
    Throttled,
    Busy,
    WrongCredentials,
    EmailNotVerified,
}

public sealed record SignInOutcome(SignInOutcomeKind Result, IssuedTokens? Tokens = null, string? MfaToken = null,
    IReadOnlyList<string>? Methods = null, IssuedDeviceToken? DeviceToken = null, TimeSpan RetryAfter = default,
    DateTimeOffset? RememberedUntil = null, TimeSpan? RememberFor = null);

/// <summary>
/// The device a password sign-in comes from: its token (if any), its User-Agent, and whether the app or person asked
/// for every factor (OIDC <c>acr_values=mfa</c>, <c>prompt=login</c>), which a remembered device does not skip.
/// </summary>
public sealed record SignInDevice(string? Token, string? UserAgent, bool RequireSecondFactor = false);

/// <summary>
/// The first step of a sign-in: the password (with its limits), then whether a second factor is needed, asked of mfa
/// synchronously, never from a projection: a factor turned on a second ago must count. If mfa cannot answer, the call
/// throws and the request fails closed with 503: nobody gets in on the password alone. A remembered device skips
/// the second factor (never the password); the first sign-in on a new device emails the owner.
/// </summary>
public sealed class SignInFlow(PasswordSignIn passwords, SessionTokens sessions, MfaClient mfa, MfaChallenges challenges,
    RememberedDevices remembered, NewDeviceNotices notices, AccountMetrics metrics)
{
    public async Task<SignInOutcome> SignInAsync(string email, string password, SignInDevice device, System.Net.IPAddress? client,
        CancellationToken cancellationToken)
    {
        SignInOutcome outcome;
        try
        {
            outcome = await DecideAsync(email, password, device, client, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // mfa could not say whether a second factor is needed: the request fails closed (503).
            metrics.SignInAttempted(SignInTags.PasswordStep, SignInTags.Unavailable);
            throw;
        }
        metrics.SignInAttempted(SignInTags.PasswordStep, outcome.Result switch
        {
            SignInOutcomeKind.SignedIn => SignInTags.SignedIn,
            SignInOutcomeKind.SignedInOnRememberedDevice => SignInTags.RememberedDevice,
            SignInOutcomeKind.SecondFactorRequired => SignInTags.MfaRequired,
            SignInOutcomeKind.Throttled => SignInTags.Throttled,
            SignInOutcomeKind.Busy => SignInTags.Busy,
            SignInOutcomeKind.EmailNotVerified => SignInTags.EmailNotVerified,
            _ => SignInTags.WrongCredentials,
        });
        return outcome;
    }

    private async Task<SignInOutcome> DecideAsync(string email, string password, SignInDevice device, System.Net.IPAddress? client,
        CancellationToken cancellationToken)
    {
        var checkedPassword = await passwords.CheckAsync(EmailAddress.Key(email), password, device.Token, client, cancellationToken);
        switch (checkedPassword.Result)
        {
            case PasswordSignInResult.Throttled:
                return new(SignInOutcomeKind.Throttled, RetryAfter: checkedPassword.RetryAfter);
            case PasswordSignInResult.Busy:
                return new(SignInOutcomeKind.Busy, RetryAfter: checkedPassword.RetryAfter);
            case PasswordSignInResult.WrongCredentials:
                return new(SignInOutcomeKind.WrongCredentials);
            case PasswordSignInResult.EmailNotVerified:
                return new(SignInOutcomeKind.EmailNotVerified);
        }
        var account = checkedPassword.Account!;
        var provenAt = checkedPassword.ProvenAt;
        var knownDevice = checkedPassword.Device!;

        var state = await mfa.GetStateAsync(account.Id, cancellationToken);
        if (state.Enabled)
        {
            // The session's amr stays "pwd": it did not pass a second factor, so step-up (acr_values=mfa) and
            // changes that need one still ask for it.
            if (!device.RequireSecondFactor && await remembered.RecognizeAsync(account.Id, knownDevice, cancellationToken) is { } until)
            {
                return await sessions.StartAsync(account, ["pwd"], provenAt, cancellationToken) is { } rememberedTokens
                    ? new(SignInOutcomeKind.SignedInOnRememberedDevice, Tokens: rememberedTokens, DeviceToken: checkedPassword.DeviceToken, RememberedUntil: until)
                    : new(SignInOutcomeKind.WrongCredentials);
            }
            string[] methods = [state.Method!, FactorMethod.RecoveryCode, .. state.Passkeys > 0 ? [FactorMethod.Passkey] : Array.Empty<string>()];
            var mfaToken = await challenges.IssueAsync(account.Id, methods, provenAt, device: knownDevice);
            if (state.Method == FactorMethod.Sms)
            {
                await mfa.TrySendSmsChallengeAsync(account.Id, client?.ToString(), cancellationToken);
            }
            return new(SignInOutcomeKind.SecondFactorRequired, MfaToken: mfaToken, Methods: methods, DeviceToken: checkedPassword.DeviceToken,
                RememberFor: remembered.Lifetime);
        }
        // Null when a password reset landed while the old password was being checked.
        if (await sessions.StartAsync(account, ["pwd"], provenAt, cancellationToken) is not { } tokens)
        {
            return new(SignInOutcomeKind.WrongCredentials);
        }
        if (knownDevice.IsNew)
        {
            await notices.SendAsync(account, DeviceNames.From(device.UserAgent), client, cancellationToken);
        }
        return new(SignInOutcomeKind.SignedIn, Tokens: tokens, DeviceToken: checkedPassword.DeviceToken);
    }
}
