using System.Net;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Outbox;
using AuthPlatform.Web;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthPlatform.Account.Devices;

/// <summary>
/// The security email for a sign-in on a device the account had not used before, through the outbox; at most one
/// per account, client network and kind of device per <see cref="RememberedDeviceOptions.NewDeviceNoticeCooldown"/>.
/// </summary>
public sealed class NewDeviceNotices(AccountDbContext db, IEventOutbox outbox, IConnectionMultiplexer redis,
    IOptions<RememberedDeviceOptions> options, TimeProvider time)
{
    public async Task SendAsync(UserAccount account, string deviceName, IPAddress? client, CancellationToken cancellationToken)
    {
        var cooldown = options.Value.NewDeviceNoticeCooldown;
        if (cooldown > TimeSpan.Zero
            && !await redis.GetDatabase().StringSetAsync($"account:new-device-notice:{account.Id:N}:{ClientNetwork.Key(client)}:{deviceName}", 1, cooldown, When.NotExists))
        {
            return;
        }
        outbox.Stage(new SignedInFromNewDevice(account.Id, account.Email, deviceName, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }
}
