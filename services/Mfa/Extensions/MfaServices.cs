using AuthPlatform.KeyEncryption;
using AuthPlatform.Mfa.Factors;
using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Passkeys;
using AuthPlatform.Mfa.RecoveryCodes;
using AuthPlatform.Mfa.Throttling;
using AuthPlatform.Mfa.Totp;
using AuthPlatform.Outbox;
using Microsoft.AspNetCore.DataProtection;

namespace AuthPlatform.Mfa.Extensions;

public static class MfaServices
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPostgresDbContext<MfaDbContext>("mfadb");
        builder.AddDatabaseMigrations<MfaDbContext>();
        builder.AddEventOutbox<MfaDbContext>();
        builder.AddRedisServer("redis");
        builder.AddEventBus("eventbus");
        builder.AddDefaultAuthentication("mfa");
        builder.AddRecentSignInRule();

        // One key ring for every replica, kept in PostgreSQL (a secret protected by one replica opens on all), and
        // encrypted there under the key-encryption certificate: mfadb alone does not open the TOTP secrets.
        builder.AddKeyEncryption();
        builder.Services.AddDataProtection()
            .SetApplicationName("AuthPlatform.Mfa")
            .PersistKeysToDbContext<MfaDbContext>()
            .ProtectKeysWithKeyEncryptionCertificate(builder.Configuration);

        builder.Services.AddOptions<FactorThrottleOptions>().BindConfiguration(FactorThrottleOptions.Section)
            .Validate(options => options.IsValid(), "Mfa:Throttle: limits and windows must be positive and MaxLock at least FirstLock.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FactorThrottleOptions>>().Value);
        builder.Services.AddSingleton<FactorAttemptThrottle>();
        builder.Services.AddSingleton<TotpVerifier>();
        builder.Services.AddSingleton<MfaMetrics>();
        builder.Services.AddScoped<TotpReplayGuard>();
        builder.Services.AddSingleton<TotpSecrets>();
        builder.Services.AddScoped<RecoveryCodeBook>();
        builder.Services.AddScoped<SecondFactorCheck>();
        builder.Services.AddScoped<PendingFactorSlot>();
        builder.Services.AddScoped<TotpEnrollment>();
        builder.Services.AddScoped<SmsEnrollment>();
        builder.Services.AddScoped<SecondFactorSettings>();
        builder.Services.AddSingleton<PhoneNumberPolicy>();
        builder.Services.AddOptions<PasskeyOptions>().BindConfiguration(PasskeyOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.PublicBaseUrl = configuration["PublicBaseUrl"] ?? options.PublicBaseUrl)
            .Validate(options => options.IsValid(), "Mfa:Passkeys: PublicBaseUrl must be an absolute http(s) URL; the name, lifetime and limit must be set.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Fido2NetLib.IFido2>(services =>
            new Fido2NetLib.Fido2(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PasskeyOptions>>().Value.ToFido2Configuration()));
        builder.Services.AddSingleton<PasskeyChallenges>();
        builder.Services.AddScoped<PasskeyRegistration>();
        builder.Services.AddScoped<PasskeyAssertion>();
        builder.Services.AddScoped<PasskeyBook>();
        builder.AddInternalApi();
        builder.Services.AddInternalClient<VerificationSmsCodesClient>("verification");
        builder.Services.AddOpenApi();
        // Last: after every registration that adds Data Protection.
        builder.Services.LoadKeyRingAfterMigrations();
        return builder;
    }
}
