using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>
/// Security email: tells the owner that two-factor authentication was turned on or changed. Whoever controls the
/// second factor controls the account, so an owner who did not do this has to hear about it at once.
/// </summary>
public sealed class MfaEnabledConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<MfaEnabled>
{
    public Task Consume(ConsumeContext<MfaEnabled> context) =>
        delivery.DeliverAsync(context, "mfa-enabled", () => composer.Compose(context.Message));
}
