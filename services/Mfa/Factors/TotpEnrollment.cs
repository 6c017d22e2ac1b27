using System.Security.Cryptography;
using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using QRCoder;

namespace AuthPlatform.Mfa.Factors;

/// <summary>
/// Authenticator-app enrolment. Start creates a pending 160-bit secret (nothing changes for the account); confirm
/// with a current code makes it the account's factor, replacing any previous one, and issues new recovery codes.
/// </summary>
public sealed class TotpEnrollment(MfaDbContext db, PendingFactorSlot pendingSlot, TotpSecrets secrets, SecondFactorCheck check,
    SecondFactorSettings settings, TimeProvider time)
{
    public const string Issuer = "AuthPlatform";
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(15);

    public async Task<TotpSetup> StartAsync(Guid accountId, string email, CancellationToken cancellationToken)
    {
        var secret = RandomNumberGenerator.GetBytes(20);
        var now = time.GetUtcNow();
        await pendingSlot.ReplaceAsync(new PendingFactor
        {
            AccountId = accountId,
            Method = FactorMethod.Totp,
            ProtectedSecret = secrets.Protect(secret),
            CreatedAt = now,
            ExpiresAt = now + PendingLifetime,
        }, cancellationToken);

        var base32 = Base32Encoding.ToString(secret).TrimEnd('=');
        var uri = OtpauthUri(email, base32);
        return new TotpSetup(base32, uri, "data:image/png;base64," + Convert.ToBase64String(QrPng(uri)), (int)PendingLifetime.TotalSeconds);
    }

    /// <summary>The Key URI format that Google Authenticator, Authy and iCloud Keychain accept.</summary>
    public static string OtpauthUri(string email, string base32Secret) =>
        $"otpauth://totp/{Issuer}:{Uri.EscapeDataString(email).Replace("%40", "@")}" +
        $"?secret={base32Secret}&issuer={Issuer}&algorithm=SHA1&digits=6&period=30";

    public static byte[] QrPng(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }

    /// <summary>Null when there is no pending setup (or it expired); otherwise the check and, if accepted, the codes.</summary>
    public async Task<(FactorCheck Check, IReadOnlyList<string>? RecoveryCodes)?> ConfirmAsync(
        Guid accountId, string email, Guid? sessionId, string? code, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = await db.PendingFactors.SingleOrDefaultAsync(p => p.AccountId == accountId && p.Method == FactorMethod.Totp, cancellationToken);
        if (pending is null || pending.ExpiresAt <= now)
        {
            return null;
        }
        var result = await check.VerifyNewSecretAsync(accountId, secrets.Unprotect(pending.ProtectedSecret!), code, cancellationToken);
        if (result.Result != CheckResult.Accepted)
        {
            return (result, null);
        }

        // Null: the setup stopped being pending while the code was checked.
        return await settings.ActivateAsync(pending, email, sessionId, cancellationToken) is { } codes ? (result, codes) : null;
    }
}
