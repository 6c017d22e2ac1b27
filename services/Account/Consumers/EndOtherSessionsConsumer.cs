using AuthPlatform.Account.Tokens;
using MassTransit;

namespace AuthPlatform.Account.Consumers;

/// <summary>
/// A factor was enrolled: every session of that moment but the one that enrolled it ends (one of them may be the
/// intruder's). A session signed in after it, with the new factor, stays even when this event is handled late.
/// The class name is the queue name, so it must differ from notification's MfaEnabledConsumer, or the two would
/// share one queue and each get half the messages.
/// </summary>
public sealed class EndOtherSessionsConsumer(SessionTokens sessions) : IConsumer<MfaEnabled>
{
    public Task Consume(ConsumeContext<MfaEnabled> context) =>
        sessions.RevokeOthersAsync(context.Message.AccountId, context.Message.SessionId, context.CancellationToken,
            asOf: context.Message.OccurredAt);
}
