using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>
/// Security email: tells the owner that new recovery codes replaced the old ones, in case someone else holding the password and
/// the second factor did it.
/// </summary>
public sealed class RecoveryCodesRegeneratedConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<RecoveryCodesRegenerated>
{
    public Task Consume(ConsumeContext<RecoveryCodesRegenerated> context) =>
        delivery.DeliverAsync(context, "recovery-codes-regenerated", () => composer.Compose(context.Message));
}
