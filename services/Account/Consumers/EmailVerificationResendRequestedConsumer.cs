using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.ServiceDefaults.Security;
using AuthPlatform.Contracts;
using AuthPlatform.ServiceDefaults.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Consumers;

/// <summary>A resend for an address with an unverified account becomes a new verification email; others are dropped.</summary>
public sealed class EmailVerificationResendRequestedConsumer(AccountDbContext db, IEventOutbox outbox, TimeProvider time)
    : IConsumer<EmailVerificationResendRequested>
{
    public async Task Consume(ConsumeContext<EmailVerificationResendRequested> context)
    {
        if (EmailAddress.Normalize(context.Message.Email) is not { } email)
        {
            return;
        }
        var emailKey = EmailAddress.Key(email);
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.EmailKey == emailKey, context.CancellationToken);
        if (account is { EmailVerified: false })
        {
            outbox.Stage(new EmailVerificationRequested(account.Id, account.Email, time.GetUtcNow()));
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }
}
