using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>Security email: a passkey was removed from the account.</summary>
public sealed class PasskeyRemovedConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<PasskeyRemoved>
{
    public Task Consume(ConsumeContext<PasskeyRemoved> context) =>
        delivery.DeliverAsync(context, "passkey-removed", () => composer.Compose(context.Message));
}
