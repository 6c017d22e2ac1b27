using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>Security email: the account signed in on a device it had not used before, in case it was not the owner.</summary>
public sealed class SignedInFromNewDeviceConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<SignedInFromNewDevice>
{
    public Task Consume(ConsumeContext<SignedInFromNewDevice> context) =>
        delivery.DeliverAsync(context, "new-device-sign-in", () => composer.Compose(context.Message));
}
