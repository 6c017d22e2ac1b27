using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Consumers;

/// <summary>Marks the address verified. Idempotent: a redelivery changes nothing.</summary>
public sealed class EmailVerifiedConsumer(AccountDbContext db) : IConsumer<EmailVerified>
{
    public async Task Consume(ConsumeContext<EmailVerified> context)
    {
        var emailKey = context.Message.Email.ToLowerInvariant();
        await db.Accounts
            .Where(a => a.Id == context.Message.AccountId && a.EmailKey == emailKey && !a.EmailVerified)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.EmailVerified, true), context.CancellationToken);
    }
}
