using AuthPlatform.Account.Consumers;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Throttling;
using AuthPlatform.Account.Tokens;
using AuthPlatform.ServiceDefaults.Outbox;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace AuthPlatform.Account.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<AccountDbContext>("accountdb");
        builder.AddDatabaseMigrations<AccountDbContext>();
        builder.AddEventOutbox<AccountDbContext>();
        builder.AddRedisClient("redis");
        builder.AddEventBus("eventbus", bus =>
        {
            bus.AddConsumer<EmailVerifiedConsumer>();
            bus.AddConsumer<EmailVerificationResendRequestedConsumer>();
        });

        builder.Services.AddSingleton(new PasswordHasher(builder.Configuration.GetValue("Passwords:Iterations", PasswordHasher.OwaspIterations)));
        builder.Services.AddSingleton<PasswordPolicy>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("SignIn").Get<SignInThrottleOptions>() ?? new SignInThrottleOptions());
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddScoped<SessionTokens>();
        builder.Services.AddSingleton<MfaChallenges>();
        builder.AddInternalApi();
        builder.Services.AddInternalClient<VerificationClient>("verification");
        builder.Services.AddInternalClient<MfaClient>("mfa");

        builder.AddLocalTokenValidation();
        builder.Services.AddOpenApi();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(AccountMetrics.Meter.Name));
        return builder;
    }

    /// <summary>
    /// Account issues the tokens, so it validates them against its own key ring rather than its own JWKS over
    /// HTTP; the rules are the same strict ones every other service applies.
    /// </summary>
    private static void AddLocalTokenValidation(this IHostApplicationBuilder builder)
    {
        var issuer = builder.Configuration.TokenIssuer();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKeyRing>((options, keys) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = AuthenticationExtensions.StrictTokenValidation(issuer);
            options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => keys.CachedPublishedKeys;
            options.Events = new JwtBearerEvents
            {
                // Make sure the keys are loaded before the synchronous resolver needs them (only when a token came).
                OnMessageReceived = async context =>
                {
                    if (context.Request.Headers.Authorization.Count > 0)
                    {
                        await keys.PublishedKeysAsync(context.HttpContext.RequestAborted);
                    }
                },
            };
        });
        builder.Services.AddAuthorization();
    }
}
