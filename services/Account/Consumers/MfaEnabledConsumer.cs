using AuthPlatform.Account.Tokens;
using AuthPlatform.Contracts;
using MassTransit;

namespace AuthPlatform.Account.Consumers;

/// <summary>A factor was enrolled: every session but the one that enrolled it ends (one of them may be the intruder's).</summary>
public sealed class MfaEnabledConsumer(SessionTokens sessions) : IConsumer<MfaEnabled>
{
    public Task Consume(ConsumeContext<MfaEnabled> context) =>
        sessions.RevokeOthersAsync(context.Message.AccountId, context.Message.SessionId, context.CancellationToken);
}
