using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using MassTransit;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Notification.Consumers;

/// <summary>
/// Tells the owner of an address that someone tried to sign up with it. Sign-up answers the same either way
/// (no account enumeration), so this email is the only place the attempt becomes visible, and only to the owner.
/// At most one per address per <see cref="EmailOptions.SignUpAttemptCooldown"/>: a loop of sign-ups is one email.
/// </summary>
public sealed partial class SignUpAttemptedOnExistingAccountConsumer(
    EmailComposer composer, EmailDelivery delivery, IDeliveryLedger ledger, IOptions<EmailOptions> options,
    ILogger<SignUpAttemptedOnExistingAccountConsumer> logger)
    : IConsumer<SignUpAttemptedOnExistingAccount>
{
    private const string Email = "sign-up-attempted";

    public async Task Consume(ConsumeContext<SignUpAttemptedOnExistingAccount> context)
    {
        if (!await ledger.TryStartCooldownAsync(Email, context.Message.Email, context.MessageId, options.Value.SignUpAttemptCooldown,
                context.CancellationToken))
        {
            LogCooldown(logger, EmailAddressMask.Mask(context.Message.Email), context.MessageId);
            return;
        }
        await delivery.DeliverAsync(context, Email, () => composer.Compose(context.Message));
    }

    [LoggerMessage(1, LogLevel.Information,
        "Skipped the sign-up-attempted email to {Recipient} (message {MessageId}): one went to the address within the cooldown")]
    private static partial void LogCooldown(ILogger logger, string recipient, Guid? messageId);
}
