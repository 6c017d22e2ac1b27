using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Throttling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Devices;

/// <summary>
/// "Remember this device": the server-side record behind a device token's secret. A device is recognised only with
/// its own account's token, a secret matching the stored hash, and before its expiry; revoking deletes the record,
/// and so do a password reset or change, "sign out everywhere" and any change of the second factor.
/// </summary>
public sealed class RememberedDevices(AccountDbContext db, IOptions<RememberedDeviceOptions> options, TimeProvider time)
{
    public TimeSpan Lifetime => options.Value.Lifetime;

    /// <summary>Until when the device skips the second factor; null when it is not remembered (or no longer).</summary>
    public async Task<DateTimeOffset?> RecognizeAsync(Guid accountId, KnownDevice device, CancellationToken cancellationToken)
    {
        if (device.RememberSecret is not { Length: > 0 } secret)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var record = await db.RememberedDevices.AsNoTracking()
            .SingleOrDefaultAsync(d => d.Id == device.Id && d.AccountId == accountId, cancellationToken);
        if (record is null || record.ExpiresAt <= now
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(record.SecretHash), Encoding.ASCII.GetBytes(OpaqueToken.Hash(secret))))
        {
            return null;
        }
        await db.RememberedDevices.Where(d => d.Id == record.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSeenAt, now), cancellationToken);
        return record.ExpiresAt;
    }

    /// <summary>Remembers the device (again: a new secret and a new expiry); returns the device as its token must now say.</summary>
    public async Task<(KnownDevice Device, DateTimeOffset Until)> RememberAsync(Guid accountId, KnownDevice device, string name,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var secret = OpaqueToken.New(32);
        var until = now + options.Value.Lifetime;
        var record = await db.RememberedDevices.SingleOrDefaultAsync(d => d.Id == device.Id && d.AccountId == accountId, cancellationToken);
        if (record is null)
        {
            record = new RememberedDevice { Id = device.Id, AccountId = accountId, SecretHash = "", Name = name, FirstSeenAt = device.FirstSeenAt };
            db.RememberedDevices.Add(record);
        }
        record.SecretHash = OpaqueToken.Hash(secret);
        record.Name = name;
        record.LastSeenAt = now;
        record.RememberedAt = now;
        record.ExpiresAt = until;
        await db.SaveChangesAsync(cancellationToken);
        return (device with { RememberSecret = secret, IsNew = false }, until);
    }

    public async Task<IReadOnlyList<RememberedDeviceSummary>> ListAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.RememberedDevices.AsNoTracking().Where(d => d.AccountId == accountId && d.ExpiresAt > now)
            .OrderByDescending(d => d.LastSeenAt)
            .Select(d => new RememberedDeviceSummary(d.Id, d.Name, d.FirstSeenAt, d.LastSeenAt, d.ExpiresAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<bool> ForgetAsync(Guid accountId, Guid id, CancellationToken cancellationToken) =>
        await db.RememberedDevices.Where(d => d.AccountId == accountId && d.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>
    /// Forgets every remembered device of the account; with <paramref name="asOf"/> (an event handled late) only
    /// those remembered before it, so a device remembered after the change with the new factor stays.
    /// </summary>
    public Task<int> ForgetAllAsync(Guid accountId, CancellationToken cancellationToken, DateTimeOffset? asOf = null) =>
        db.RememberedDevices.Where(d => d.AccountId == accountId && (asOf == null || d.RememberedAt < asOf))
            .ExecuteDeleteAsync(cancellationToken);
}
