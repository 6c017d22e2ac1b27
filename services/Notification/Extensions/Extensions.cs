using AuthPlatform.Notification.Consumers;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using AuthPlatform.Notification.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AuthPlatform.Notification.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis");
        builder.AddSmtpServer("smtp");
        builder.AddEventBus("eventbus", bus => bus.AddEmailConsumers());

        builder.Services.AddOptions<DeliveryRetryOptions>().BindConfiguration(DeliveryRetryOptions.SectionName)
            .Validate(o => o.Count >= 0 && o.MinInterval >= TimeSpan.Zero && o.MaxInterval >= o.MinInterval && o.IntervalDelta >= TimeSpan.Zero,
                "Notification:Retry needs Count >= 0 and 0 <= MinInterval <= MaxInterval.")
            .ValidateOnStart();
        builder.Services.AddEmailDelivery();
        builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        builder.Services.AddSingleton<IDeliveryLedger, RedisDeliveryLedger>();
        return builder;
    }

    /// <summary>Composing and delivering emails, without the sender and ledger (SMTP and Redis in the service).</summary>
    public static IServiceCollection AddEmailDelivery(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName)
            .Validate(o => MailboxAddress.TryParse(o.From, out var from) && from.Address.Contains('@'),
                "Email:From must be a mailbox, e.g. \"AuthPlatform <no-reply@example.com>\".")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotificationMetrics>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<EmailDelivery>();
        return services;
    }

    /// <summary>The email consumers, with exponential retry; after the last retry the message goes to its _error queue.</summary>
    public static IBusRegistrationConfigurator AddEmailConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<SendEmailConsumer>();
        bus.AddConsumer<PasswordChangedConsumer>();
        bus.AddConsumer<SignUpAttemptedOnExistingAccountConsumer>();
        bus.AddConsumer<MfaEnabledConsumer>();
        bus.AddConsumer<MfaDisabledConsumer>();
        bus.AddConsumer<RecoveryCodeUsedConsumer>();
        bus.AddConsumer<MfaFailuresDetectedConsumer>();
        bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
        {
            var retry = context.GetRequiredService<IOptions<DeliveryRetryOptions>>().Value;
            endpoint.UseMessageRetry(r =>
            {
                r.Exponential(retry.Count, retry.MinInterval, retry.MaxInterval, retry.IntervalDelta);
                // Retrying cannot fix an unknown template, a bad address or a permanent SMTP rejection.
                r.Ignore<UndeliverableEmailException>();
            });
        });
        return bus;
    }
}
