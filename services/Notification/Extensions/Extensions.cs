using AuthPlatform.Notification.Infrastructure;

namespace AuthPlatform.Notification.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddEventBus("eventbus");
        builder.AddSmtpServer("smtp");
        return builder;
    }
}
