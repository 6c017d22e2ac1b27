using System.Text.Json;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Throttling;
using AuthPlatform.Account.Tokens;
using AuthPlatform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.SignIn;

public enum PasskeySignInOutcomeKind
{
    /// <summary>Options for the browser: <see cref="PasskeySignInOutcome.Options"/>.</summary>
    Options,
    /// <summary><see cref="PasskeySignInOutcome.Tokens"/> are set.</summary>
    SignedIn,
    /// <summary>The mfaToken is unknown, expired or spent.</summary>
    ChallengeGone,
    /// <summary>The sign-in's second step cannot use a passkey (none registered).</summary>
    Invalid,
    /// <summary>mfa refused the assertion (<see cref="PasskeySignInOutcome.Refusal"/>), or its counter went backwards.</summary>
    Refused,
    /// <summary>The account is locked (its failure ceiling, or its sign-ins this minute).</summary>
    Throttled,
}

public sealed record PasskeySignInOutcome(PasskeySignInOutcomeKind Result, JsonElement? Options = null, IssuedTokens? Tokens = null,
    MfaVerification? Refusal = null, TimeSpan RetryAfter = default);

/// <summary>
/// Signing in with a passkey. mfa owns the passkeys and checks the assertion; this flow decides what it is worth and
/// starts the session. Without an mfaToken the passkey is the whole sign-in: possession of the authenticator and its
/// user verification make it multi-factor on its own (amr "hwk" or "swk" for a synced one, "user", "mfa"; RFC 8176).
/// With one (after the password) it is the second factor. Either way the account's lock still applies, and a counter
/// that went backwards (a possibly cloned passkey) refuses the sign-in and emails the owner. If mfa cannot answer,
/// the call throws and the request fails closed with 503.
/// </summary>
public sealed partial class PasskeySignInFlow(AccountDbContext db, MfaClient mfa, MfaChallenges challenges, SessionTokens sessions,
    SignInThrottle throttle, IEventOutbox outbox, TimeProvider time, AccountMetrics metrics, ILogger<PasskeySignInFlow> logger)
{
    public async Task<PasskeySignInOutcome> OptionsAsync(string? mfaToken, CancellationToken cancellationToken)
    {
        Guid? accountId = null;
        if (mfaToken is not null)
        {
            if (await PendingAsync(mfaToken) is not { } challenge)
            {
                return new(PasskeySignInOutcomeKind.ChallengeGone);
            }
            if (!challenge.Methods.Split(' ').Contains(FactorMethod.Passkey))
            {
                return new(PasskeySignInOutcomeKind.Invalid);
            }
            accountId = challenge.AccountId;
        }
        var (options, answer) = await mfa.PasskeyOptionsAsync(accountId, cancellationToken);
        return options is { } json ? new(PasskeySignInOutcomeKind.Options, Options: json) : new(PasskeySignInOutcomeKind.Refused, Refusal: answer);
    }

    public async Task<PasskeySignInOutcome> CompleteAsync(JsonElement credential, string? mfaToken, CancellationToken cancellationToken)
    {
        var step = mfaToken is null ? SignInTags.PasskeyStep : SignInTags.MfaStep;
        MfaChallenge? challenge = null;
        if (mfaToken is not null && (challenge = await PendingAsync(mfaToken)) is null)
        {
            return new(PasskeySignInOutcomeKind.ChallengeGone);
        }
        PasskeyVerification? verification;
        MfaVerification answer;
        try
        {
            (verification, answer) = await mfa.VerifyPasskeyAsync(challenge?.AccountId, credential, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            metrics.SignInAttempted(step, SignInTags.Unavailable);
            throw;
        }
        if (verification is not { AccountId: { } accountId } || await db.FindAccountAsync(accountId, cancellationToken) is not { } account)
        {
            metrics.SignInAttempted(step, SignInTags.MfaRejected);
            return new(PasskeySignInOutcomeKind.Refused, Refusal: answer);
        }
        if (verification.SignCountRegressed)
        {
            await WarnOwnerAsync(account, verification.PasskeyName ?? "", cancellationToken);
            metrics.SignInAttempted(step, SignInTags.MfaRejected);
            return new(PasskeySignInOutcomeKind.Refused, Refusal: ClonedPasskey);
        }
        if (!verification.Accepted)
        {
            return new(PasskeySignInOutcomeKind.Refused, Refusal: answer);
        }
        // A passkey proves who is there, but never lifts the account's lock.
        if (await throttle.AccountLockedAsync(account.EmailKey) is { } wait)
        {
            metrics.SignInAttempted(step, SignInTags.Throttled);
            return new(PasskeySignInOutcomeKind.Throttled, RetryAfter: wait);
        }
        var device = verification.Synced ? "swk" : "hwk";
        string[] methods = challenge is null ? [device, "user", "mfa"] : [challenge.FirstFactor ?? MfaChallenge.Password, device, "user", "mfa"];
        var provenAt = challenge?.PasswordCheckedAt ?? time.GetUtcNow();
        if (mfaToken is not null && !await challenges.TrySpendAsync(mfaToken)
            || await sessions.StartAsync(account, methods, provenAt, cancellationToken) is not { } tokens)
        {
            metrics.SignInAttempted(step, SignInTags.InvalidMfaToken);
            return new(PasskeySignInOutcomeKind.ChallengeGone);
        }
        await throttle.CountSuccessAsync(account.EmailKey);
        metrics.SignInAttempted(step, SignInTags.SignedIn);
        return new(PasskeySignInOutcomeKind.SignedIn, Tokens: tokens);
    }

    /// <summary>The answer for a passkey whose counter went backwards (its owner has been emailed).</summary>
    public static MfaVerification ClonedPasskey { get; } = new(false, System.Net.HttpStatusCode.Unauthorized,
        JsonSerializer.SerializeToElement(new
        {
            type = ProblemTypes.Base + "passkey-refused",
            title = "Passkey not accepted",
            detail = "This passkey was refused because it may have been copied. We emailed the account's owner. Sign in another way.",
        }), null);

    private async Task<MfaChallenge?> PendingAsync(string mfaToken) =>
        OpaqueToken.IsWellFormed(mfaToken) ? await challenges.FindAsync(mfaToken) : null;

    private async Task WarnOwnerAsync(UserAccount account, string passkeyName, CancellationToken cancellationToken)
    {
        LogCloned(account.Id);
        outbox.Stage(new PasskeySignCountRegressed(account.Id, account.Email, passkeyName, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Refused a passkey sign-in for account {AccountId}: its signature counter went backwards (possibly cloned); the owner is emailed")]
    private partial void LogCloned(Guid accountId);
}
