using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>
/// Tells the owner of an address that someone tried to sign up with it. Sign-up answers the same either way
/// (no account enumeration), so this email is the only place the attempt becomes visible, and only to the owner.
/// </summary>
public sealed class SignUpAttemptedOnExistingAccountConsumer(EmailComposer composer, EmailDelivery delivery)
    : IConsumer<SignUpAttemptedOnExistingAccount>
{
    public Task Consume(ConsumeContext<SignUpAttemptedOnExistingAccount> context) =>
        delivery.DeliverAsync(context, "sign-up-attempted", () => composer.Compose(context.Message));
}
