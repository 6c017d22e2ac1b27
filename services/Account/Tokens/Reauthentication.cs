using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Throttling;
using AuthPlatform.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Tokens;

public enum ReauthenticationOutcome
{
    Proven,
    Invalid,
    Throttled,
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
public sealed class Reauthentication(
    AccountDbContext db, PasswordHasher hasher, SignInThrottle throttle, MfaClient mfa, SessionTokens sessions, TimeProvider time)
{
    public async Task<ReauthenticationResult> ProveAsync(Guid accountId, Guid sessionId, string? password, string? method, string? code,
        string? clientAddress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password) || password.Length > PasswordPolicy.MaxLength * 4 || code?.Length > 64)
        {
            return new(ReauthenticationOutcome.Invalid, Detail: "Give your password (and, when two-factor authentication is on, method and code).");
        }
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return new(ReauthenticationOutcome.SessionEnded);
        }
        if (await throttle.TakeAttemptAsync(account.EmailKey, clientAddress) is { } retryAfter)
        {
            return new(ReauthenticationOutcome.Throttled, RetryAfter: retryAfter);
        }
        var provenAt = time.GetUtcNow();
        if (hasher.Verify(account.PasswordHash, password) == PasswordCheck.Wrong)
        {
            return new(ReauthenticationOutcome.WrongPassword);
        }
        await throttle.ForgiveAsync(account.EmailKey, clientAddress);

        var state = await mfa.GetStateAsync(account.Id, cancellationToken);
        if (state.Enabled)
        {
            if (string.IsNullOrWhiteSpace(code) || (method != state.Method && method != "recovery_code"))
            {
                return new(ReauthenticationOutcome.SecondFactorRequired, Methods: [state.Method!, "recovery_code"],
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
