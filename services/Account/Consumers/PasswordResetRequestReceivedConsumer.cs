using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Consumers;

/// <summary>
/// Decides, away from the request, whether a reset request becomes a reset link: only for an address with an
/// account. Verification issues the link (and applies the per-address cooldown).
/// </summary>
public sealed class PasswordResetRequestReceivedConsumer(AccountDbContext db, IEventOutbox outbox, TimeProvider time)
    : IConsumer<PasswordResetRequestReceived>
{
    public async Task Consume(ConsumeContext<PasswordResetRequestReceived> context)
    {
        if (EmailAddress.Normalize(context.Message.Email) is not { } email)
        {
            return;
        }
        var emailKey = EmailAddress.Key(email);
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.EmailKey == emailKey, context.CancellationToken);
        if (account is not null)
        {
            outbox.Stage(new PasswordResetRequested(account.Id, account.Email, time.GetUtcNow()));
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }
}
