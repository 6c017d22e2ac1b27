using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Throttling;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Tokens;

public enum ReauthenticationOutcome
{
    Proven,
    Invalid,
    Throttled,
    Busy,
    WrongPassword,
    SecondFactorRequired,
    SecondFactorRefused,
    SessionEnded,
}

public sealed record ReauthenticationResult(
    ReauthenticationOutcome Kind, IssuedTokens? Tokens = null, string? Detail = null, TimeSpan? RetryAfter = null, MfaVerification? Refusal = null,
    IReadOnlyList<string>? Methods = null);

/// <summary>
/// The session's owner proves the password again, and the second factor when the account has one (the same
/// throttle as sign-in counts the attempts). Success renews the session's auth_time.
/// </summary>
public sealed class Reauthentication(AccountDbContext db, PasswordSignIn passwords, MfaClient mfa, SessionTokens sessions)
{
    public async Task<ReauthenticationResult> ProveAsync(Guid accountId, Guid sessionId, string? password, string? method, string? code,
        System.Net.IPAddress? client, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password) || password.Length > PasswordPolicy.MaxLength * 4 || code?.Length > 64)
        {
            return new(ReauthenticationOutcome.Invalid, Detail: "Give your password (and, when two-factor authentication is on, method and code).");
        }
        var account = await db.FindAccountAsync(accountId, cancellationToken);
        if (account is null)
        {
            return new(ReauthenticationOutcome.SessionEnded);
        }
        var proof = await passwords.ProveAsync(account, password, client, cancellationToken);
        switch (proof.Result)
        {
            case PasswordSignInResult.Throttled:
                return new(ReauthenticationOutcome.Throttled, RetryAfter: proof.RetryAfter);
            case PasswordSignInResult.Busy:
                return new(ReauthenticationOutcome.Busy, RetryAfter: proof.RetryAfter);
            case PasswordSignInResult.WrongCredentials:
                return new(ReauthenticationOutcome.WrongPassword);
        }
        var provenAt = proof.ProvenAt;

        var state = await mfa.GetStateAsync(account.Id, cancellationToken);
        if (state.Enabled)
        {
            if (string.IsNullOrWhiteSpace(code) || (method != state.Method && method != FactorMethod.RecoveryCode))
            {
                return new(ReauthenticationOutcome.SecondFactorRequired, Methods: [state.Method!, FactorMethod.RecoveryCode],
                    Detail: $"Two-factor authentication is on: give method \"{state.Method}\" (or \"recovery_code\") and its code with your password.");
            }
            var verification = await mfa.VerifyAsync(account.Id, account.Email, method!, code, cancellationToken);
            if (!verification.Accepted)
            {
                return new(ReauthenticationOutcome.SecondFactorRefused, Refusal: verification);
            }
        }
        return await sessions.ReauthenticateAsync(account, sessionId, provenAt, cancellationToken) is { } tokens
            ? new(ReauthenticationOutcome.Proven, tokens)
            : new(ReauthenticationOutcome.SessionEnded);
    }
}
