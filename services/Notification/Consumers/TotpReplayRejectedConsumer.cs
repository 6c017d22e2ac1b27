using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>
/// Security email: tells the owner that a TOTP code was used twice (mfa sends at most one such event per account per hour).
/// </summary>
public sealed class TotpReplayRejectedConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<TotpReplayRejected>
{
    public Task Consume(ConsumeContext<TotpReplayRejected> context) =>
        delivery.DeliverAsync(context, "totp-replay-rejected", () => composer.Compose(context.Message));
}
