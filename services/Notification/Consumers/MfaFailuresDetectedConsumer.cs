using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>
/// Security email: someone got past the password but keeps failing the second factor, so the password is
/// probably known to someone else. Tells the owner to change it.
/// </summary>
public sealed class MfaFailuresDetectedConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<MfaFailuresDetected>
{
    public Task Consume(ConsumeContext<MfaFailuresDetected> context) =>
        delivery.DeliverAsync(context, "mfa-failures-detected", () => composer.Compose(context.Message));
}
