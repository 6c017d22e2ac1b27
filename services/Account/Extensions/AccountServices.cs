using AuthPlatform.Account.Consumers;
using AuthPlatform.Account.Devices;
using AuthPlatform.Account.ExternalSignIn;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Oidc;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Registration;
using AuthPlatform.Account.Throttling;
using AuthPlatform.Account.Tokens;
using AuthPlatform.Outbox;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Extensions;

public static class AccountServices
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPostgresDbContext<AccountDbContext>("accountdb");
        builder.AddDatabaseMigrations<AccountDbContext>();
        builder.AddEventOutbox<AccountDbContext>();
        builder.AddRedisServer("redis");
        builder.AddEventBus("eventbus", bus =>
        {
            bus.AddConsumer<EmailVerifiedConsumer>();
            bus.AddConsumer<EmailVerificationResendRequestedConsumer>();
            bus.AddConsumer<EndOtherSessionsConsumer>();
            bus.AddConsumer<ForgetRememberedDevicesConsumer>();
            bus.AddConsumer<PasswordResetRequestReceivedConsumer>();
            bus.RetryWhileAServerIsDown();
        });

        builder.Services.AddOptions<PasswordHashingOptions>().BindConfiguration(PasswordHashingOptions.Section)
            .Validate(o => o.MaxConcurrent is >= 0 and <= 1_024, "PasswordHashing:MaxConcurrent must be between 0 (one per core) and 1024.")
            .Validate(o => o.MaxQueued is >= 0 and <= 10_000, "PasswordHashing:MaxQueued must be between 0 and 10000.")
            .Validate(o => o.Iterations is >= 1_000 and <= 10_000_000, "PasswordHashing:Iterations must be between 1000 and 10000000.")
            .Validate(o => o.Iterations >= PasswordHasher.OwaspIterations || builder.Environment.IsDevelopment(),
                $"PasswordHashing:Iterations below {PasswordHasher.OwaspIterations} (OWASP) is for Development only.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AccountMetrics>();
        builder.Services.AddSingleton<PasswordHashingGate>();
        builder.Services.AddExceptionHandler<PasswordHashingBusyHandler>();
        builder.Services.AddSingleton(services => new PasswordHasher(
            services.GetRequiredService<IOptions<PasswordHashingOptions>>().Value.Iterations, services.GetRequiredService<PasswordHashingGate>()));
        builder.Services.AddSingleton<PasswordPolicy>();
        builder.Services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section)
            .Validate(o => o.MaxFailuresPerAccountAndNetwork > 0 && o.MaxFailuresPerNetwork > 0 && o.MaxSuccessesPerAccountPerMinute > 0
                && o.MaxConsecutiveFailuresPerAccount is > 0 and <= 100 && o.Window > TimeSpan.Zero && o.HardStop > TimeSpan.Zero
                && o.DeviceTokenLifetime > TimeSpan.Zero,
                "SignIn limits must be positive, and MaxConsecutiveFailuresPerAccount at most 100 (NIST SP 800-63B).")
            .ValidateOnStart();
        builder.Services.AddSingleton<SignInThrottle>();
        // One ring for every replica, in accountdb, encrypted under the key-encryption certificate: OpenID Connect
        // codes and refresh tokens sealed by one replica must open on another.
        builder.AddKeyEncryption();
        builder.Services.AddDataProtection()
            .SetApplicationName("AuthPlatform.Account")
            .PersistKeysToDbContext<AccountDbContext>()
            .ProtectKeysWithKeyEncryptionCertificate(builder.Configuration);
        builder.Services.AddSingleton<KnownDevices>();
        builder.Services.AddOptions<RememberedDeviceOptions>().BindConfiguration(RememberedDeviceOptions.Section)
            .Validate(o => o.IsValid(), "RememberedDevices: Lifetime must be within 365 days; NewDeviceNoticeCooldown 0 to 7 days.").ValidateOnStart();
        builder.Services.AddScoped<RememberedDevices>();
        builder.Services.AddScoped<NewDeviceNotices>();
        builder.Services.AddScoped<PasswordSignIn>();
        builder.Services.AddScoped<AuthPlatform.Account.SignIn.SignInFlow>();
        builder.Services.AddScoped<AuthPlatform.Account.SignIn.MfaSignInFlow>();
        builder.Services.AddScoped<AuthPlatform.Account.SignIn.PasskeySignInFlow>();
        builder.Services.AddScoped<AccessKeyTokenFlow>();
        builder.Services.AddOptions<SigningKeyOptions>().BindConfiguration(SigningKeyOptions.SectionName)
            .Validate(o => o.IsValid(), "SigningKeys needs PublishAhead >= 5 minutes (the replicas' key cache) and RotateAfter > PublishAhead.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddHostedService<SigningKeyStartupCheck>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddOptions<SessionLifetimeOptions>().BindConfiguration(SessionLifetimeOptions.Section)
            .Validate(o => o.IsValid(), "Sessions: IdleLifetime must be positive and at most AbsoluteLifetime (at most 365 days).").ValidateOnStart();
        builder.Services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section)
            .Validate(o => o.IsValid(), "Registration: PendingLifetime must be within 30 days; MaxPendingPerAddress 1 to 100.").ValidateOnStart();
        builder.Services.AddScoped<SessionTokens>();
        builder.Services.AddScoped<Reauthentication>();
        builder.Services.AddScoped<PasswordChange>();
        builder.Services.AddScoped<SignUpFlow>();
        builder.Services.AddScoped<PendingRegistrations>();
        builder.Services.AddOptions<DataPurgeOptions>().BindConfiguration(DataPurgeOptions.Section)
            .Validate(o => o.IsValid(), "DataPurge: Interval must be 1 s to 1 day; KeepRevokedFor not negative.").ValidateOnStart();
        builder.Services.AddHostedService<AccountDataPurge>();
        builder.AddRecentSignInRule();
        builder.Services.AddSingleton<MfaChallenges>();
        builder.Services.AddSingleton<ExternalLinkProofs>();
        builder.Services.AddScoped<ExternalSignInFlow>();
        builder.Services.AddScoped<ExternalIdentityLinks>();
        builder.AddInternalApi();
        builder.Services.AddInternalClient<VerificationTokensClient>("verification");
        builder.Services.AddInternalClient<MfaClient>("mfa");

        builder.AddOidcProvider();
        builder.AddLocalTokenValidation();
        builder.Services.AddOpenApi();
        // Last: after every registration that adds Data Protection.
        builder.Services.LoadKeyRingAfterMigrations();
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
            options.TokenValidationParameters = AuthenticationExtensions.StrictTokenValidation(issuer, "account");
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
