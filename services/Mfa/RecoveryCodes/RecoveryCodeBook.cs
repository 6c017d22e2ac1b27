using System.Security.Cryptography;
using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.RecoveryCodes;

/// <summary>
/// An account's recovery codes: ten of them, 80 random bits each (16 Crockford-style base32 characters shown as
/// XXXX-XXXX-XXXX-XXXX), shown once and stored only as SHA-256. Each works once, even when two requests race.
/// </summary>
public sealed class RecoveryCodeBook(MfaDbContext db, TimeProvider time)
{
    public const int Count = 10;
    private const string Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"; // 32 symbols: no I, L, O, U
    private const int Length = 16;

    /// <summary>
    /// Replaces every code of the account with new ones (old ones die); saved with the caller's SaveChanges. Only
    /// within <see cref="Factors.SecondFactorSettings"/>' turn for the account: two replacements at once would each
    /// delete only the codes they could see and both insert ten.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReplaceAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await db.RecoveryCodes.Where(c => c.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        var codes = Enumerable.Range(0, Count).Select(_ => NewCode()).ToList();
        db.RecoveryCodes.AddRange(codes.Select(code => new RecoveryCode
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            CodeHash = OpaqueToken.Hash(Normalize(code)!),
            CreatedAt = time.GetUtcNow(),
        }));
        return codes;
    }

    /// <summary>Spends the code; returns how many remain, or null if it is not an unused code of this account.</summary>
    public async Task<int?> TryUseAsync(Guid accountId, string code, CancellationToken cancellationToken)
    {
        if (Normalize(code) is not { } normalized)
        {
            return null;
        }
        var hash = OpaqueToken.Hash(normalized);
        var used = await db.RecoveryCodes
            .Where(c => c.AccountId == accountId && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, time.GetUtcNow()), cancellationToken);
        return used == 1 ? await RemainingAsync(accountId, cancellationToken) : null;
    }

    public Task<int> RemainingAsync(Guid accountId, CancellationToken cancellationToken) =>
        db.RecoveryCodes.CountAsync(c => c.AccountId == accountId && c.UsedAt == null, cancellationToken);

    public Task RemoveAllAsync(Guid accountId, CancellationToken cancellationToken) =>
        db.RecoveryCodes.Where(c => c.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Upper-case, separators removed, 16 symbols of the alphabet; null otherwise.</summary>
    public static string? Normalize(string? code)
    {
        if (code is null || code.Length > 40)
        {
            return null;
        }
        var cleaned = new string(code.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant).ToArray());
        return cleaned.Length == Length && cleaned.All(c => Alphabet.Contains(c)) ? cleaned : null;
    }

    private static string NewCode()
    {
        var symbols = new char[Length];
        for (var i = 0; i < Length; i++)
        {
            symbols[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        var code = new string(symbols);
        return $"{code[..4]}-{code[4..8]}-{code[8..12]}-{code[12..]}";
    }
}
