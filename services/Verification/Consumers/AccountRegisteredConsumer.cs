using AuthPlatform.Contracts;
using AuthPlatform.Verification.Tokens;
using MassTransit;

namespace AuthPlatform.Verification.Consumers;

public sealed class AccountRegisteredConsumer(VerificationEmailSender sender) : IConsumer<AccountRegistered>
{
    public Task Consume(ConsumeContext<AccountRegistered> context) =>
        sender.SendAsync(context, TokenPurpose.EmailVerify, context.Message.AccountId, context.Message.Email);
}
