using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>
/// Security email: tells the owner that a recovery code was used to sign in and how many are left, in case it
/// was not them, and so that they generate new codes before they run out.
/// </summary>
public sealed class RecoveryCodeUsedConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<RecoveryCodeUsed>
{
    public Task Consume(ConsumeContext<RecoveryCodeUsed> context) =>
        delivery.DeliverAsync(context, "recovery-code-used", () => composer.Compose(context.Message));
}
