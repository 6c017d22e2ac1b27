using AuthPlatform.Account.Devices;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Throttling;
using AuthPlatform.Account.Tokens;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.SignIn;

public enum MfaSignInOutcomeKind
{
    /// <summary>
    /// The code was right: <see cref="MfaSignInOutcome.Tokens"/> are set; when the device was to be remembered, its new
    /// <see cref="MfaSignInOutcome.DeviceToken"/> and <see cref="MfaSignInOutcome.RememberedUntil"/> too.
    /// </summary>
    SignedIn,
    SmsSent,
    /// <summary>The request does not fit the challenge: <see cref="MfaSignInOutcome.Detail"/> says why.</summary>
    Invalid,
    /// <summary>The mfaToken is unknown, expired or already spent.</summary>
    ChallengeGone,
    /// <summary>mfa refused (a wrong, malformed or throttled code, a text limit): <see cref="MfaSignInOutcome.Refusal"/> is its answer.</summary>
    Refused,
}

public sealed record MfaSignInOutcome(MfaSignInOutcomeKind Result, IssuedTokens? Tokens = null, string? Detail = null,
    MfaVerification? Refusal = null, IssuedDeviceToken? DeviceToken = null, DateTimeOffset? RememberedUntil = null);

/// <summary>The second step's device: whether to remember it, its User-Agent (its name) and address (the new-device email's cooldown).</summary>
public sealed record MfaSignInDevice(bool Remember, string? UserAgent, System.Net.IPAddress? Client);

/// <summary>
/// The second step of a sign-in, against the challenge the password step left (its mfaToken): check the code with
/// mfa and start the session (remembering the device when asked), or text the code again. If mfa cannot answer, the
/// call throws and the request fails closed with 503.
/// </summary>
public sealed class MfaSignInFlow(AccountDbContext db, MfaClient mfa, MfaChallenges challenges, SessionTokens sessions,
    KnownDevices devices, RememberedDevices remembered, NewDeviceNotices notices, TimeProvider time, AccountMetrics metrics)
{
    public async Task<MfaSignInOutcome> CompleteAsync(string mfaToken, string method, string code, MfaSignInDevice device,
        CancellationToken cancellationToken)
    {
        if (!OpaqueToken.IsWellFormed(mfaToken) || await challenges.FindAsync(mfaToken) is not { } challenge)
        {
            return new(MfaSignInOutcomeKind.ChallengeGone);
        }
        if (!challenge.Methods.Split(' ').Contains(method))
        {
            return new(MfaSignInOutcomeKind.Invalid, Detail: $"This account signs in with: {challenge.Methods.Replace(" ", ", ")}.");
        }
        var account = await db.FindAccountAsync(challenge.AccountId, cancellationToken);
        if (account is null)
        {
            return new(MfaSignInOutcomeKind.ChallengeGone);
        }

        MfaVerification verification;
        try
        {
            verification = await mfa.VerifyAsync(account.Id, account.Email, method, code, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // mfa unreachable: counted here, answered 503 by the global handler (fail closed).
            metrics.SignInAttempted(SignInTags.MfaStep, SignInTags.Unavailable);
            throw;
        }
        if (!verification.Accepted)
        {
            metrics.SignInAttempted(SignInTags.MfaStep, SignInTags.MfaRejected);
            return new(MfaSignInOutcomeKind.Refused, Refusal: verification);
        }
        // The code was right; the token is spent by exactly one request (a concurrent twin gets 401).
        var first = challenge.FirstFactor ?? MfaChallenge.Password;
        string[] methods = method == FactorMethod.RecoveryCode ? [first, "mfa"] : [first, method == FactorMethod.Totp ? "otp" : "sms", "mfa"];
        if (!await challenges.TrySpendAsync(mfaToken)
            || await sessions.StartAsync(account, methods, challenge.PasswordCheckedAt ?? time.GetUtcNow(), cancellationToken) is not { } tokens)
        {
            metrics.SignInAttempted(SignInTags.MfaStep, SignInTags.InvalidMfaToken);
            return new(MfaSignInOutcomeKind.ChallengeGone);
        }
        metrics.SignInAttempted(SignInTags.MfaStep, SignInTags.SignedIn);
        var deviceName = DeviceNames.From(device.UserAgent);
        if (challenge.NewDevice)
        {
            await notices.SendAsync(account, deviceName, device.Client, cancellationToken);
        }
        if (!device.Remember)
        {
            return new(MfaSignInOutcomeKind.SignedIn, Tokens: tokens);
        }
        // After Google there is no device token yet: the device is named now.
        var known = challenge.DeviceId is { } deviceId ? new KnownDevice(deviceId, challenge.DeviceFirstSeenAt ?? time.GetUtcNow()) : devices.New();
        var (rememberedDevice, until) = await remembered.RememberAsync(account.Id, known, deviceName, cancellationToken);
        return new(MfaSignInOutcomeKind.SignedIn, Tokens: tokens, DeviceToken: devices.Issue(account.Id, rememberedDevice), RememberedUntil: until);
    }

    public async Task<MfaSignInOutcome> ResendSmsAsync(string mfaToken, string? clientAddress, CancellationToken cancellationToken)
    {
        if (!OpaqueToken.IsWellFormed(mfaToken) || await challenges.FindAsync(mfaToken) is not { } challenge)
        {
            return new(MfaSignInOutcomeKind.ChallengeGone);
        }
        if (!challenge.Methods.Split(' ').Contains(FactorMethod.Sms))
        {
            return new(MfaSignInOutcomeKind.Invalid, Detail: "This account does not use text messages for two-factor authentication.");
        }
        var sent = await mfa.SendSmsChallengeAsync(challenge.AccountId, clientAddress, cancellationToken);
        return sent.Accepted ? new(MfaSignInOutcomeKind.SmsSent) : new(MfaSignInOutcomeKind.Refused, Refusal: sent);
    }
}
