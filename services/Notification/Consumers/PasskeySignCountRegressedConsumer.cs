using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>Security email: a passkey answered with a counter that went backwards (a possible copy) and the sign-in was refused.</summary>
public sealed class PasskeySignCountRegressedConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<PasskeySignCountRegressed>
{
    public Task Consume(ConsumeContext<PasskeySignCountRegressed> context) =>
        delivery.DeliverAsync(context, "passkey-sign-count-regressed", () => composer.Compose(context.Message));
}
