using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using AuthPlatform.Mfa.RecoveryCodes;
using AuthPlatform.Mfa.Throttling;
using AuthPlatform.Mfa.Totp;
using AuthPlatform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Factors;

public enum CheckResult
{
    Accepted,
    Wrong,
    Throttled,
    NotEnabled,
    Malformed,
}

/// <param name="Replayed">A correct TOTP code whose time step had been used already (answered as Wrong).</param>
public sealed record FactorCheck(CheckResult Result, TimeSpan? RetryAfter = null, int? RecoveryCodesRemaining = null, bool Replayed = false);

/// <summary>
/// Checks a second-factor code for an account: throttle first (atomic, shared), then the code, then (TOTP) the
/// replay guard. Used by sign-in and by every change to the account's 2FA.
/// </summary>
public sealed class SecondFactorCheck(
    MfaDbContext db, TotpVerifier totp, TotpReplayGuard replays, FactorAttemptThrottle throttle, RecoveryCodeBook recoveryCodes,
    TotpSecrets secrets, VerificationSmsCodesClient verification, IEventOutbox outbox, MfaMetrics metrics, TimeProvider time)
{
    /// <summary>Either the current factor's code (six digits) or a recovery code, whichever the input looks like.</summary>
    public async Task<FactorCheck> VerifyCurrentAsync(Guid accountId, string email, string? code, CancellationToken cancellationToken)
    {
        if (TotpCode.Normalize(code) is null)
        {
            return await VerifyAsync(accountId, email, FactorMethod.RecoveryCode, code, cancellationToken);
        }
        var method = await db.SecondFactors.AsNoTracking().Where(f => f.AccountId == accountId).Select(f => f.Method).SingleOrDefaultAsync(cancellationToken);
        return await VerifyAsync(accountId, email, method ?? FactorMethod.Totp, code, cancellationToken);
    }

    public async Task<FactorCheck> VerifyAsync(Guid accountId, string email, string method, string? code, CancellationToken cancellationToken)
    {
        var factor = await db.FindFactorAsync(accountId, cancellationToken);
        if (factor is null)
        {
            return new FactorCheck(CheckResult.NotEnabled);
        }
        var result = method switch
        {
            FactorMethod.Totp when factor.Method == FactorMethod.Totp => await CheckTotpAsync(accountId, factor.ProtectedSecret!, code, cancellationToken),
            FactorMethod.Sms when factor.Method == FactorMethod.Sms =>
                await CheckSmsAsync(accountId, SmsCodePurpose.SignIn, factor.PhoneNumber!, code, cancellationToken),
            FactorMethod.RecoveryCode => await CheckRecoveryCodeAsync(accountId, email, code, cancellationToken),
            _ => new FactorCheck(CheckResult.Malformed),
        };
        metrics.Verified(method, result.Result.ToString().ToLowerInvariant());
        if (result.Result == CheckResult.Wrong && await throttle.FailedAsync(accountId))
        {
            outbox.Stage(new MfaFailuresDetected(accountId, email, throttle.AlertThreshold, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }
        // A replayed code means someone else saw the owner's code: tell the owner, but not once per attempt.
        if (result.Replayed && await replays.TryStartAlertAsync(accountId))
        {
            outbox.Stage(new TotpReplayRejected(accountId, email, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }
        return result;
    }

    /// <summary>Checks a code against a secret that is being set up; the step used counts as used.</summary>
    public async Task<FactorCheck> VerifyNewSecretAsync(Guid accountId, byte[] secret, string? code, CancellationToken cancellationToken)
    {
        var result = await CheckTotpSecretAsync(accountId, secret, code, cancellationToken);
        metrics.Verified("totp-setup", result.Result.ToString().ToLowerInvariant());
        return result;
    }

    /// <summary>Checks a texted code (enrolment or sign-in) under the same per-factor throttle.</summary>
    public async Task<FactorCheck> VerifySmsAsync(Guid accountId, string purpose, string phoneNumber, string? code, CancellationToken cancellationToken)
    {
        var result = await CheckSmsAsync(accountId, purpose, phoneNumber, code, cancellationToken);
        metrics.Verified("sms-setup", result.Result.ToString().ToLowerInvariant());
        return result;
    }

    private async Task<FactorCheck> CheckSmsAsync(Guid accountId, string purpose, string phoneNumber, string? code, CancellationToken cancellationToken)
    {
        if (TotpCode.Normalize(code) is not { } normalized)
        {
            return new FactorCheck(CheckResult.Malformed);
        }
        if (await throttle.TakeAttemptAsync(accountId, FactorMethod.Sms) is { } wait)
        {
            return new FactorCheck(CheckResult.Throttled, wait);
        }
        if (!await verification.VerifySmsCodeAsync(purpose, accountId, phoneNumber, normalized, cancellationToken))
        {
            return new FactorCheck(CheckResult.Wrong);
        }
        await throttle.SucceededAsync(accountId, FactorMethod.Sms);
        return new FactorCheck(CheckResult.Accepted);
    }

    private Task<FactorCheck> CheckTotpAsync(Guid accountId, string protectedSecret, string? code, CancellationToken cancellationToken) =>
        CheckTotpSecretAsync(accountId, secrets.Unprotect(protectedSecret), code, cancellationToken);

    private async Task<FactorCheck> CheckTotpSecretAsync(Guid accountId, byte[] secret, string? code, CancellationToken cancellationToken)
    {
        if (TotpCode.Normalize(code) is not { } normalized)
        {
            return new FactorCheck(CheckResult.Malformed);
        }
        if (await throttle.TakeAttemptAsync(accountId, FactorMethod.Totp) is { } wait)
        {
            return new FactorCheck(CheckResult.Throttled, wait);
        }
        if (totp.MatchStep(secret, normalized) is not { } step)
        {
            return new FactorCheck(CheckResult.Wrong);
        }
        if (!await replays.TryClaimAsync(accountId, step, cancellationToken))
        {
            return new FactorCheck(CheckResult.Wrong, Replayed: true);
        }
        await throttle.SucceededAsync(accountId, FactorMethod.Totp);
        return new FactorCheck(CheckResult.Accepted);
    }

    private async Task<FactorCheck> CheckRecoveryCodeAsync(Guid accountId, string email, string? code, CancellationToken cancellationToken)
    {
        if (RecoveryCodeBook.Normalize(code) is null)
        {
            return new FactorCheck(CheckResult.Malformed);
        }
        if (await throttle.TakeAttemptAsync(accountId, FactorMethod.RecoveryCode) is { } wait)
        {
            return new FactorCheck(CheckResult.Throttled, wait);
        }
        // Spending the code and the owner's email commit together: no used code without its notice.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await recoveryCodes.TryUseAsync(accountId, code!, cancellationToken) is not { } remaining)
        {
            return new FactorCheck(CheckResult.Wrong);
        }
        outbox.Stage(new RecoveryCodeUsed(accountId, email, remaining, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await throttle.SucceededAsync(accountId, FactorMethod.RecoveryCode);
        return new FactorCheck(CheckResult.Accepted, RecoveryCodesRemaining: remaining);
    }
}
