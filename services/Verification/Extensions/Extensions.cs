using AuthPlatform.Verification.Consumers;
using AuthPlatform.Verification.Tokens;

namespace AuthPlatform.Verification.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisServer("redis");
        builder.AddEventBus("eventbus", bus =>
        {
            bus.AddConsumer<EmailVerificationRequestedConsumer>();
            bus.AddConsumer<PasswordResetRequestedConsumer>();
        });
        builder.AddDefaultAuthentication("verification");
        builder.AddInternalApi();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(builder.Configuration.GetSection("Verification").Get<VerificationTokenOptions>() ?? new VerificationTokenOptions());
        builder.Services.AddSingleton<VerificationTokens>();
        builder.Services.AddSingleton<VerificationLinks>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Sms").Get<Sms.SmsCodeOptions>() ?? new Sms.SmsCodeOptions());
        builder.Services.AddScoped<Sms.SmsCodes>();
        builder.Services.AddSingleton<PhoneNumberPolicy>();
        builder.Services.AddScoped<VerificationEmailSender>();
        builder.Services.AddOpenApi();
        return builder;
    }
}
