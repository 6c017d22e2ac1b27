using System.Security.Cryptography;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.KeyEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Account.Tokens;

/// <summary>
/// The platform's one token-signing key ring: ES256 keys kept in accountdb, so they survive restarts and every
/// replica signs with the same key. The private keys are stored encrypted under the key-encryption certificate,
/// which never enters the database. Rotation follows <see cref="SigningKeySchedule"/>.
/// </summary>
public sealed class SigningKeyRing(IServiceScopeFactory scopes, KeyEncryptionCertificate keyEncryption,
    IOptions<SigningKeyOptions> options, TimeProvider time)
{
    /// <summary>How long a replica works from the keys it loaded; PublishAhead must be at least this.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    private readonly SigningKeySchedule _schedule = new(options.Value);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(IReadOnlyList<SigningKey> Rows, IReadOnlyDictionary<string, ECDsaSecurityKey> Keys, DateTimeOffset LoadedAt);

    public async Task<ECDsaSecurityKey> ActiveKeyAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        return snapshot.Keys[_schedule.SignerAt(snapshot.Rows, time.GetUtcNow())!.Id];
    }

    /// <summary>Every key whose tokens may still be in circulation, and the next one before it signs.</summary>
    public async Task<IReadOnlyList<ECDsaSecurityKey>> PublishedKeysAsync(CancellationToken cancellationToken = default) =>
        Published(await CurrentAsync(cancellationToken));

    /// <summary>The keys as last loaded, for the synchronous token-validation callback (loaded before it runs).</summary>
    public IReadOnlyList<ECDsaSecurityKey> CachedPublishedKeys => _snapshot is { } snapshot ? Published(snapshot) : [];

    private IReadOnlyList<ECDsaSecurityKey> Published(Snapshot snapshot)
    {
        var now = time.GetUtcNow();
        return [.. snapshot.Rows.Where(k => SigningKeySchedule.IsPublishedAt(k, now)).OrderByDescending(k => k.CreatedAt).Select(k => snapshot.Keys[k.Id])];
    }

    private bool IsCurrent(Snapshot? snapshot)
    {
        var now = time.GetUtcNow();
        return snapshot is not null && now - snapshot.LoadedAt < CacheFor && !_schedule.NeedsNewKeyAt(snapshot.Rows, now);
    }

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (IsCurrent(snapshot))
        {
            return snapshot!;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (!IsCurrent(snapshot))
            {
                _snapshot = snapshot = await LoadAsync(cancellationToken);
            }
            return snapshot!;
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
        var rows = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
        // Decrypt before changing anything: a replica given the wrong certificate must not add keys of its own.
        var keys = rows.Where(k => KeyEncryptionCertificate.IsEncrypted(k.PrivateKey)).ToDictionary(k => k.Id, ToSecurityKey);
        var now = time.GetUtcNow();
        if (keys.Count < rows.Count || _schedule.NeedsNewKeyAt(rows, now) || rows.Any(k => SigningKeySchedule.IsSpentAt(k, now)))
        {
            rows = await MaintainAsync(db, cancellationToken);
            keys = rows.ToDictionary(k => k.Id, ToSecurityKey);
        }
        return new Snapshot(rows, keys, time.GetUtcNow());
    }

    /// <summary>
    /// Creates the first key or the next one, drops spent keys and encrypts keys stored before encryption existed.
    /// Replicas must agree on one key: this is serialised on an advisory lock and decided again under it.
    /// </summary>
    private async Task<List<SigningKey>> MaintainAsync(AccountDbContext db, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('authplatform.signing-key'))", cancellationToken);
            var rows = await db.SigningKeys.ToListAsync(cancellationToken);
            var now = time.GetUtcNow();
            foreach (var legacy in rows.Where(k => !KeyEncryptionCertificate.IsEncrypted(k.PrivateKey)))
            {
                legacy.PrivateKey = keyEncryption.Encrypt(legacy.PrivateKey, Purpose(legacy.Id));
            }
            foreach (var spent in rows.Where(k => SigningKeySchedule.IsSpentAt(k, now)).ToList())
            {
                db.SigningKeys.Remove(spent);
                rows.Remove(spent);
            }
            if (_schedule.NeedsNewKeyAt(rows, now))
            {
                var successor = NewKey();
                _schedule.Rotate(rows, successor, now);
                db.SigningKeys.Add(successor);
                rows.Add(successor);
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rows;
        });
    }

    private SigningKey NewKey()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var pkcs8 = ecdsa.ExportPkcs8PrivateKey();
        try
        {
            return new SigningKey { Id = id, PrivateKey = keyEncryption.Encrypt(pkcs8, Purpose(id)) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <exception cref="KeyEncryptionException">The row was encrypted under another certificate, or altered.</exception>
    private ECDsaSecurityKey ToSecurityKey(SigningKey key)
    {
        var pkcs8 = keyEncryption.Decrypt(key.PrivateKey, Purpose(key.Id));
        try
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new ECDsaSecurityKey(ecdsa) { KeyId = key.Id };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Binds the ciphertext to its row: a private key copied into another row does not decrypt.</summary>
    private static string Purpose(string keyId) => $"authplatform.signing-key.{keyId}";
}
