using AuthPlatform.Mfa.Infrastructure;

namespace AuthPlatform.Mfa.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<MfaDbContext>("mfadb");
        builder.AddDatabaseMigrations<MfaDbContext>();
        builder.AddRedisClient("redis");
        builder.AddEventBus("eventbus");
        builder.AddDefaultAuthentication();
        builder.Services.AddOpenApi();
        return builder;
    }
}
