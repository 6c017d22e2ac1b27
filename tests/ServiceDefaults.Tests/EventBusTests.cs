using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuthPlatform.ServiceDefaults.Tests;

public sealed class EventBusTests
{
    [Fact]
    public void The_bus_never_reports_usage_telemetry_to_MassTransits_vendor()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration["ConnectionStrings:eventbus"] = "amqp://account:secret@127.0.0.1:5672";
        builder.AddEventBus("eventbus");
        using var host = builder.Build();

        host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled
            .ShouldBeFalse("every service would otherwise post its bus configuration to usage-tracking.masstransit.io");
    }
}
