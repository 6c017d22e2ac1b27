using AuthPlatform.Verification.Consumers;
using AuthPlatform.Verification.Sms;
using AuthPlatform.Verification.Tokens;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Verification.Extensions;

public static class VerificationServices
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisServer("redis");
        builder.AddEventBus("eventbus", bus =>
        {
            bus.AddConsumer<EmailVerificationRequestedConsumer>();
            bus.AddConsumer<PasswordResetRequestedConsumer>();
            bus.RetryWhileAServerIsDown();
        });
        builder.AddDefaultAuthentication("verification");
        builder.AddInternalApi();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<VerificationMetrics>();
        builder.Services.AddOptions<VerificationTokenOptions>().BindConfiguration(VerificationTokenOptions.Section)
            .Validate(options => options.IsValid(), "Verification: lifetimes must be positive and cooldowns not negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<VerificationTokenOptions>>().Value);
        builder.Services.AddSingleton<VerificationTokens>();
        builder.Services.AddSingleton<VerificationLinks>();
        builder.Services.AddOptions<SmsCodeOptions>().BindConfiguration(SmsCodeOptions.Section)
            .Validate(options => options.IsValid(), "Sms: the lifetime, attempts, limits and windows must be positive; EnrolmentShareOfGlobalCap between 0 and 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<SmsCodeOptions>>().Value);
        builder.Services.AddScoped<SmsCodes>();
        builder.Services.AddSingleton<PhoneNumberPolicy>();
        builder.Services.AddScoped<VerificationEmailSender>();
        builder.Services.AddOpenApi();
        return builder;
    }
}
