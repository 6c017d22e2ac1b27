using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>Security email: tells the owner that two-factor authentication was turned off, in case it was not them.</summary>
public sealed class MfaDisabledConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<MfaDisabled>
{
    public Task Consume(ConsumeContext<MfaDisabled> context) =>
        delivery.DeliverAsync(context, "mfa-disabled", () => composer.Compose(context.Message));
}
