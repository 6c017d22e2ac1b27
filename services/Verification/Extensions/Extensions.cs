namespace AuthPlatform.Verification.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis");
        builder.AddEventBus("eventbus");
        builder.AddDefaultAuthentication();
        builder.Services.AddOpenApi();
        return builder;
    }
}
