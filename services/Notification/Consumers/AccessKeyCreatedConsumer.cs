using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>Security email: a new access key can act as the owner, so the owner hears about every one.</summary>
public sealed class AccessKeyCreatedConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<AccessKeyCreated>
{
    public Task Consume(ConsumeContext<AccessKeyCreated> context) =>
        delivery.DeliverAsync(context, "access-key-created", () => composer.Compose(context.Message));
}
