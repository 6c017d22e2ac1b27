using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Tokens;

public sealed record IssuedTokens(string AccessToken, string RefreshToken, int ExpiresIn);

/// <summary>Refresh-token families: issue on sign-in, rotate on refresh, revoke on sign-out or password change.</summary>
public sealed class SessionTokens(AccountDbContext db, AccessTokenIssuer accessTokens, TimeProvider time)
{
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(30);

    public Task<IssuedTokens> StartAsync(UserAccount account, IReadOnlyCollection<string> methods, CancellationToken cancellationToken) =>
        IssueAsync(account, Guid.NewGuid(), string.Join(' ', methods), cancellationToken);

    /// <summary>Spends <paramref name="refreshToken"/> and issues its successor; null when it cannot be used.</summary>
    public async Task<IssuedTokens?> RotateAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = OpaqueToken.Hash(refreshToken);
        var current = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (current is null || current.RevokedAt is not null || current.ExpiresAt <= now)
        {
            return null;
        }

        // Spend it atomically: of two concurrent refreshes with one token, exactly one wins.
        var spent = await db.RefreshTokens
            .Where(t => t.Id == current.Id && t.SpentAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.SpentAt, now), cancellationToken);
        if (spent == 0)
        {
            // A spent token presented again: someone holds a copy. End the whole session family.
            await RevokeFamilyAsync(current.FamilyId, cancellationToken);
            return null;
        }

        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == current.AccountId, cancellationToken);
        return account is null ? null : await IssueAsync(account, current.FamilyId, current.AuthenticationMethods, cancellationToken);
    }

    /// <summary>Sign-out: ends the family the token belongs to. Unknown tokens are ignored.</summary>
    public async Task RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = OpaqueToken.Hash(refreshToken);
        var familyId = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).SingleOrDefaultAsync(cancellationToken);
        if (familyId is { } family)
        {
            await RevokeFamilyAsync(family, cancellationToken);
        }
    }

    public Task<int> RevokeAllAsync(Guid accountId, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => t.AccountId == accountId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, time.GetUtcNow()), cancellationToken);

    private Task<int> RevokeFamilyAsync(Guid familyId, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, time.GetUtcNow()), cancellationToken);

    private async Task<IssuedTokens> IssueAsync(UserAccount account, Guid familyId, string methods, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var refreshToken = OpaqueToken.New(32);
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            FamilyId = familyId,
            TokenHash = OpaqueToken.Hash(refreshToken),
            AuthenticationMethods = methods,
            CreatedAt = now,
            ExpiresAt = now + RefreshLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        var accessToken = await accessTokens.IssueAsync(account.Id, account.Email, methods.Split(' '), cancellationToken);
        return new IssuedTokens(accessToken, refreshToken, (int)AccessTokenIssuer.Lifetime.TotalSeconds);
    }
}
