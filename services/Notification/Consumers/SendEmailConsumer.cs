using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Email;
using MassTransit;

namespace AuthPlatform.Notification.Consumers;

/// <summary>Sends the emails other services ask for by template ("Verify email", "Reset password").</summary>
public sealed class SendEmailConsumer(EmailComposer composer, EmailDelivery delivery) : IConsumer<SendEmail>
{
    public Task Consume(ConsumeContext<SendEmail> context) =>
        delivery.DeliverAsync(context, context.Message.Template, () => composer.Compose(context.Message));
}
