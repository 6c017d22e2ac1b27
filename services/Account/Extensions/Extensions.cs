using AuthPlatform.Account.Infrastructure;

namespace AuthPlatform.Account.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<AccountDbContext>("accountdb");
        builder.AddDatabaseMigrations<AccountDbContext>();
        builder.AddRedisClient("redis");
        builder.AddEventBus("eventbus");
        builder.Services.AddOpenApi();
        return builder;
    }
}
