using AuthPlatform.Verification.Tokens;
using MassTransit;

namespace AuthPlatform.Verification.Consumers;

/// <summary>Emails a reset link, at most once per address per cooldown (a flood of requests is one email).</summary>
public sealed partial class PasswordResetRequestedConsumer(
    VerificationEmailSender sender, VerificationTokens tokens, ILogger<PasswordResetRequestedConsumer> logger)
    : IConsumer<PasswordResetRequested>
{
    public async Task Consume(ConsumeContext<PasswordResetRequested> context)
    {
        var message = context.Message;
        if (!await tokens.TryStartPasswordResetCooldownAsync(EmailAddress.Key(message.Email), context.MessageId))
        {
            LogCooldown(logger, message.AccountId);
            return;
        }
        await sender.SendAsync(context, TokenPurpose.PasswordReset, new TokenSubject(message.AccountId, message.Email, message.OccurredAt));
    }

    [LoggerMessage(1, LogLevel.Information, "Skipped a password-reset email for account {AccountId}: one was sent to the address within the cooldown")]
    private static partial void LogCooldown(ILogger logger, Guid accountId);
}
