using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>Security email: tells the owner their password was changed, in case it was not them.</summary>
public sealed class PasswordChangedConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<PasswordChanged>
{
    public Task Consume(ConsumeContext<PasswordChanged> context) =>
        delivery.DeliverAsync(context, "password-changed", () => composer.Compose(context.Message));
}
