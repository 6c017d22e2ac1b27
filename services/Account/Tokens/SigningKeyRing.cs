using System.Security.Cryptography;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Account.Tokens;

/// <summary>
/// The platform's one token-signing key ring: ES256 keys kept in accountdb, so they survive restarts and every
/// replica signs with the same key. The OIDC provider (OpenIddict) is to be given these same keys, so there is
/// one JWKS whoever issues the token.
/// </summary>
public sealed class SigningKeyRing(IServiceScopeFactory scopes, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(ECDsaSecurityKey Active, IReadOnlyList<ECDsaSecurityKey> Published, DateTimeOffset LoadedAt);

    public async Task<ECDsaSecurityKey> ActiveKeyAsync(CancellationToken cancellationToken = default) =>
        (await CurrentAsync(cancellationToken)).Active;

    /// <summary>Every key whose tokens may still be in circulation.</summary>
    public async Task<IReadOnlyList<ECDsaSecurityKey>> PublishedKeysAsync(CancellationToken cancellationToken = default) =>
        (await CurrentAsync(cancellationToken)).Published;

    /// <summary>The keys as last loaded, for the synchronous token-validation callback (loaded before it runs).</summary>
    public IReadOnlyList<ECDsaSecurityKey> CachedPublishedKeys => _snapshot?.Published ?? [];

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < CacheFor)
        {
            return snapshot;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot is null || time.GetUtcNow() - snapshot.LoadedAt >= CacheFor)
            {
                _snapshot = snapshot = await LoadAsync(cancellationToken);
            }
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountDbContext>();
        var keys = await db.SigningKeys.AsNoTracking().Where(k => k.RetiredAt == null || k.RetiredAt > time.GetUtcNow().AddDays(-1))
            .OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        if (!keys.Any(k => k.RetiredAt == null))
        {
            keys.Insert(0, await CreateFirstKeyAsync(db, cancellationToken));
        }
        var active = keys.First(k => k.RetiredAt == null);
        return new Snapshot(ToSecurityKey(active), [.. keys.Select(ToSecurityKey)], time.GetUtcNow());
    }

    /// <summary>Replicas starting together must agree on one key: creation is serialised on an advisory lock.</summary>
    private async Task<SigningKey> CreateFirstKeyAsync(AccountDbContext db, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('authplatform.signing-key'))", cancellationToken);
            var existing = await db.SigningKeys.AsNoTracking().Where(k => k.RetiredAt == null).FirstOrDefaultAsync(cancellationToken);
            if (existing is not null)
            {
                return existing;
            }
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var key = new SigningKey
            {
                Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                PrivateKey = ecdsa.ExportPkcs8PrivateKey(),
                CreatedAt = time.GetUtcNow(),
            };
            db.SigningKeys.Add(key);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return key;
        });
    }

    private static ECDsaSecurityKey ToSecurityKey(SigningKey key)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.PrivateKey, out _);
        return new ECDsaSecurityKey(ecdsa) { KeyId = key.Id };
    }
}
