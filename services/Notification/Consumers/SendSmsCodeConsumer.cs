using AuthPlatform.Contracts;
using AuthPlatform.Contracts.Internal;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Sms;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>
/// Texts the one-time code that verification issued (phone enrolment or sign-in), once per message id. The code
/// and the number reach neither logs nor exception messages; the number is logged masked.
/// </summary>
public sealed class SendSmsCodeConsumer(SmsComposer composer, SmsDelivery delivery) : IConsumer<SendSmsCode>
{
    public Task Consume(ConsumeContext<SendSmsCode> context) =>
        delivery.DeliverAsync(context, Describe(context.Message.Purpose), context.Message.PhoneNumber, () => composer.Compose(context.Message),
            context.Message.ExpiresAt);

    // For logs only: the text is the same for every purpose. Anything unexpected is not echoed (log forging).
    private static string Describe(string? purpose) => SmsCodePurpose.IsKnown(purpose) ? purpose + " code" : "one-time code";
}
