using AuthPlatform.Account.Registration;
using MassTransit;

namespace AuthPlatform.Account.Consumers;

/// <summary>The registration the link was mailed for becomes the account. Idempotent: a redelivery changes nothing.</summary>
public sealed class EmailVerifiedConsumer(PendingRegistrations registrations) : IConsumer<EmailVerified>
{
    public Task Consume(ConsumeContext<EmailVerified> context) =>
        registrations.CompleteAsync(context.Message.RegistrationId, context.Message.Email, context.CancellationToken);
}
