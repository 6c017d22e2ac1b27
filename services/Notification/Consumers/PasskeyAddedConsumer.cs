using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>Security email: a passkey was added, in case someone signed in as the owner added their own.</summary>
public sealed class PasskeyAddedConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<PasskeyAdded>
{
    public Task Consume(ConsumeContext<PasskeyAdded> context) =>
        delivery.DeliverAsync(context, "passkey-added", () => composer.Compose(context.Message));
}
