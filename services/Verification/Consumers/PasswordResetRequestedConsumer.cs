using AuthPlatform.Contracts;
using AuthPlatform.Verification.Tokens;
using MassTransit;

namespace AuthPlatform.Verification.Consumers;

public sealed class PasswordResetRequestedConsumer(VerificationEmailSender sender) : IConsumer<PasswordResetRequested>
{
    public Task Consume(ConsumeContext<PasswordResetRequested> context) =>
        sender.SendAsync(context, TokenPurpose.PasswordReset, context.Message.AccountId, context.Message.Email);
}
