using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Factors;

/// <summary>
/// Text-message enrolment: a pending number gets a code (valid as long as verification says); confirming it makes SMS the account's
/// factor. SMS is a restricted authenticator (NIST 800-63B): an authenticator app is the stronger choice.
/// </summary>
public sealed class SmsEnrollment(MfaDbContext db, PendingFactorSlot pendingSlot, VerificationSmsCodesClient verification, SecondFactorCheck check,
    SecondFactorSettings settings, TimeProvider time)
{
    public async Task<SmsCodeRequestOutcome> StartAsync(Guid accountId, string phoneNumber, string? clientAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await pendingSlot.ReplaceAsync(new PendingFactor
        {
            AccountId = accountId,
            Method = FactorMethod.Sms,
            PhoneNumber = phoneNumber,
            CreatedAt = now,
            ExpiresAt = now + TotpEnrollment.PendingLifetime,
        }, cancellationToken);
        return await verification.SendSmsCodeAsync(SmsCodePurpose.PhoneEnroll, accountId, phoneNumber, clientAddress, cancellationToken);
    }

    public async Task<(FactorCheck Check, IReadOnlyList<string>? RecoveryCodes)?> ConfirmAsync(
        Guid accountId, string email, Guid? sessionId, string? code, CancellationToken cancellationToken)
    {
        var pending = await db.PendingFactors.SingleOrDefaultAsync(p => p.AccountId == accountId && p.Method == FactorMethod.Sms, cancellationToken);
        if (pending is null || pending.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }
        var result = await check.VerifySmsAsync(accountId, SmsCodePurpose.PhoneEnroll, pending.PhoneNumber!, code, cancellationToken);
        if (result.Result != CheckResult.Accepted)
        {
            return (result, null);
        }
        // Null: the setup stopped being pending while the code was checked.
        return await settings.ActivateAsync(pending, email, sessionId, cancellationToken) is { } codes ? (result, codes) : null;
    }
}
