using AuthPlatform.Notification.Consumers;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using AuthPlatform.Notification.Infrastructure;
using AuthPlatform.Notification.Sms;
using AuthPlatform.Servers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AuthPlatform.Notification.Extensions;

public static class NotificationServices
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisServer("redis");
        builder.AddSmtpServer("smtp");
        builder.AddEventBus("eventbus", bus => bus.AddEmailConsumers().AddSmsConsumers());

        builder.Services.AddOptions<DeliveryRetryOptions>().BindConfiguration(DeliveryRetryOptions.SectionName)
            .Validate(o => o.Count >= 0 && o.MinInterval >= TimeSpan.Zero && o.MaxInterval >= o.MinInterval && o.IntervalDelta >= TimeSpan.Zero,
                "Notification:Retry needs Count >= 0 and 0 <= MinInterval <= MaxInterval.")
            .Validate(o => o.LongestConsume(SmtpEmailSender.ExchangeTimeout) < StuckConsumerCheck.Limit,
                $"Notification:Retry: with each attempt at its {SmtpEmailSender.ExchangeTimeout.TotalSeconds:0} s limit a message would stay in its "
                + $"consumer longer than the {StuckConsumerCheck.Limit.TotalMinutes:0} min after which /alive calls it stuck. Lower Count or MaxInterval.")
            .ValidateOnStart();
        builder.Services.AddOptions<PostponementOptions>().BindConfiguration(PostponementOptions.SectionName)
            .Validate(o => o.IsValid(),
                "Notification:Postponement needs 0 <= GiveUpAfter <= 6 days and Delays of whole milliseconds between 1 s and 1 day.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IPostponedDeliveries, RabbitMqWaitingRoom>();
        builder.Services.AddSingleton<RabbitMqQueueDepth>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RabbitMqQueueDepth>());
        builder.Services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<RabbitMqQueueDepth>());
        builder.Services.AddEmailDelivery();
        builder.Services.AddSingleton<SmtpConnections>();
        builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        builder.Services.AddSmsDelivery(builder.Configuration);
        builder.Services.AddSingleton<IDeliveryLedger, RedisDeliveryLedger>();
        return builder;
    }

    /// <summary>Composing and delivering emails, without the sender and ledger (SMTP and Redis in the service).</summary>
    public static IServiceCollection AddEmailDelivery(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName)
            .Validate(o => MailboxAddress.TryParse(o.From, out var from) && from.Address.Contains('@'),
                "Email:From must be a mailbox, e.g. \"AuthPlatform <no-reply@example.com>\".")
            .Validate(o => o.SignUpAttemptCooldown > TimeSpan.Zero, "Email:SignUpAttemptCooldown must be positive.")
            .Validate(o => o.HasValidSmtpConnectionLimits,
                "Email:SmtpConnectionIdleLimit must be between 0 and 5 minutes (0: a connection per email), Email:IdleSmtpConnections between 0 and 32.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationMetrics>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<EmailDelivery>();
        return services;
    }

    /// <summary>
    /// Composing and delivering text messages, with the sender chosen by configuration: Twilio when
    /// <c>Twilio__AccountSid</c>, <c>Twilio__AuthToken</c> and <c>Twilio__From</c> (or <c>Twilio__MessagingServiceSid</c>)
    /// are set; the development sender, which only logs, when <c>Sms__UseDevelopmentSender=true</c>; otherwise the
    /// worker refuses to start (docs/operations.md, Email (SMTP) and SMS (Twilio)). The environment's name never decides. The ledger is not registered here.
    /// </summary>
    /// <exception cref="InvalidOperationException">Twilio settings are incomplete, or no sender is configured.</exception>
    public static IServiceCollection AddSmsDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        var twilio = configuration.GetSection(TwilioOptions.SectionName).Get<TwilioOptions>() ?? new TwilioOptions();
        var useTwilio = UsesTwilio(twilio, configuration.GetValue<bool>(UseDevelopmentSenderSetting));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationMetrics>();
        services.AddSingleton<SmsComposer>();
        services.AddScoped<SmsDelivery>();
        if (!useTwilio)
        {
            services.AddSingleton<ISmsSender, DevelopmentSmsSender>();
            return services;
        }

        services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.SectionName)
            .Validate(o => IsAllowedBaseUrl(o.BaseUrl),
                "Twilio:BaseUrl must be an https URL (plain http only to a loopback address, e.g. a fake Twilio in tests).")
            .Validate(o => o.MaxAttempts >= 1 && o.RetryBaseDelay >= TimeSpan.Zero && o.RetryBudget >= TimeSpan.Zero && o.RequestTimeout > TimeSpan.Zero,
                "Twilio needs MaxAttempts >= 1, RetryBaseDelay >= 0, RetryBudget >= 0 and RequestTimeout > 0.")
            .Validate(o => o.LongestSend <= SmtpEmailSender.ExchangeTimeout,
                $"Twilio: MaxAttempts × RequestTimeout + RetryBudget must be at most {SmtpEmailSender.ExchangeTimeout.TotalSeconds:0} s, the longest one delivery attempt may take.")
            .ValidateOnStart();
        // A typed client: transient, a fresh one from IHttpClientFactory for each (scoped) SmsDelivery; the sender
        // builds the SDK's TwilioRestClient on it, so the SDK's requests get the factory's logging and tracing.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented opt-out
        // No standard resilience handler (ServiceDefaults adds it to every client): the sender owns its retries,
        // because it must honour Twilio's Retry-After and must not retry a refused message, and a handler that
        // retries POSTs could send a code twice. The per-request timeout is the client's own.
        services.AddHttpClient<ISmsSender, TwilioSmsSender>()
            .ConfigureHttpClient((provider, http) => http.Timeout = provider.GetRequiredService<IOptions<TwilioOptions>>().Value.RequestTimeout)
            .AddHttpMessageHandler(provider => new TwilioApiHandler(new Uri(provider.GetRequiredService<IOptions<TwilioOptions>>().Value.BaseUrl)))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return services;
    }

    /// <summary>The one switch for the development SMS sender (codes written to the log, nothing sent).</summary>
    public const string UseDevelopmentSenderSetting = "Sms:UseDevelopmentSender";

    /// <summary>Twilio when it is configured; the development sender only when explicitly enabled.</summary>
    /// <exception cref="InvalidOperationException">Twilio settings are incomplete, or no sender is configured.</exception>
    public static bool UsesTwilio(TwilioOptions twilio, bool useDevelopmentSender)
    {
        if (twilio.IsConfigured)
        {
            return true;
        }
        if (twilio.IsPartlyConfigured)
        {
            throw new InvalidOperationException(
                $"The Twilio settings are incomplete: set {string.Join(", ", twilio.MissingSettings())}, or remove every Twilio__ setting "
                + "and set Sms__UseDevelopmentSender=true to use the development SMS sender (which only logs).");
        }
        if (!useDevelopmentSender)
        {
            // Never chosen by environment name: a staging or mis-named production host would otherwise write
            // every sign-in code to its logs.
            throw new InvalidOperationException(
                "No SMS provider is configured. Set Twilio__AccountSid, Twilio__AuthToken and Twilio__From (or Twilio__MessagingServiceSid), "
                + "or, on a developer machine only, Sms__UseDevelopmentSender=true to write text messages (codes included) to the log instead of sending them.");
        }
        return false;
    }

    private static bool IsAllowedBaseUrl(string? baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    /// <summary>
    /// The email consumers, with exponential retry; when the retries are spent the message is postponed
    /// (<see cref="DeliveryPostponement{T}"/>) and only given up on, into its _error queue, much later.
    /// </summary>
    public static IBusRegistrationConfigurator AddEmailConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<SendEmailConsumer>();
        bus.AddConsumer<PasswordChangedConsumer>();
        bus.AddConsumer<SignUpAttemptedOnExistingAccountConsumer>();
        bus.AddConsumer<MfaEnabledConsumer>();
        bus.AddConsumer<MfaDisabledConsumer>();
        bus.AddConsumer<AccessKeyCreatedConsumer>();
        bus.AddConsumer<SignedInFromNewDeviceConsumer>();
        bus.AddConsumer<RecoveryCodeUsedConsumer>();
        bus.AddConsumer<MfaFailuresDetectedConsumer>();
        bus.AddConsumer<RecoveryCodesRegeneratedConsumer>();
        bus.AddConsumer<PasskeyAddedConsumer>();
        bus.AddConsumer<PasskeyRemovedConsumer>();
        bus.AddConsumer<PasskeySignCountRegressedConsumer>();
        bus.AddConsumer<TotpReplayRejectedConsumer>();
        return bus.AddDeliveryRetry();
    }

    /// <summary>The SMS consumers, with the same retry as the emails.</summary>
    public static IBusRegistrationConfigurator AddSmsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<SendSmsCodeConsumer>();
        return bus.AddDeliveryRetry();
    }

    /// <summary>
    /// Postponement around exponential retry on every receive endpoint, registered once however many consumer
    /// groups ask for it: the callback applies to all endpoints, so a second registration would stack a second
    /// pair of filters on each. The postponement filter is configured first, so it sits outside the retries and
    /// sees only a failure that they could not fix.
    /// </summary>
    private static IBusRegistrationConfigurator AddDeliveryRetry(this IBusRegistrationConfigurator bus)
    {
        if (bus.Any(service => service.ServiceType == typeof(DeliveryRetryRegistered)))
        {
            return bus;
        }
        bus.AddSingleton<DeliveryRetryRegistered>();
        bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
        {
            var retry = context.GetRequiredService<IOptions<DeliveryRetryOptions>>().Value;
            DeliveryPostponementObserver.Attach(endpoint, context);
            endpoint.UseMessageRetry(r =>
            {
                r.Exponential(retry.Count, retry.MinInterval, retry.MaxInterval, retry.IntervalDelta);
                // Retrying cannot fix an unknown template, a bad address or number, or a permanent refusal by
                // the SMTP server or Twilio.
                r.Ignore<UndeliverableEmailException>();
                r.Ignore<UndeliverableSmsException>();
            });
        });
        return bus;
    }

    /// <summary>Marks a bus registration that already has the delivery retry callback.</summary>
    private sealed class DeliveryRetryRegistered;

}
