using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Registration;
using AuthPlatform.Outbox;
using MassTransit;

namespace AuthPlatform.Account.Consumers;

/// <summary>A resend for an address with a pending registration mails that registration's link again; others are dropped.</summary>
public sealed class EmailVerificationResendRequestedConsumer(
    AccountDbContext db, PendingRegistrations registrations, IEventOutbox outbox, TimeProvider time)
    : IConsumer<EmailVerificationResendRequested>
{
    public async Task Consume(ConsumeContext<EmailVerificationResendRequested> context)
    {
        if (EmailAddress.Normalize(context.Message.Email) is not { } email)
        {
            return;
        }
        if (await registrations.NewestAsync(EmailAddress.Key(email), context.CancellationToken) is { } registration)
        {
            outbox.Stage(new EmailVerificationRequested(registration.Id, registration.Email, time.GetUtcNow()));
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }
}
