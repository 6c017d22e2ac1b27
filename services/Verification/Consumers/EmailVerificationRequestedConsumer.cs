using AuthPlatform.Verification.Tokens;
using MassTransit;

namespace AuthPlatform.Verification.Consumers;

public sealed class EmailVerificationRequestedConsumer(VerificationEmailSender sender) : IConsumer<EmailVerificationRequested>
{
    public Task Consume(ConsumeContext<EmailVerificationRequested> context) =>
        sender.SendAsync(context, TokenPurpose.EmailVerify, context.Message.RegistrationId, context.Message.Email);
}
