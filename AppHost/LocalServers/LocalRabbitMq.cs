using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthPlatform.AppHost.LocalServers;

/// <summary>
/// RabbitMQ on loopback as an executable resource, with its own Erlang port mapper (epmd) in the same wrapper so that
/// nothing is left running as a daemon when the resource stops. The per-service users (<see cref="BrokerUsers"/>) are
/// loaded as definitions at boot; guest is the loopback-only administrator.
/// </summary>
public static class LocalRabbitMq
{
    public static IResourceBuilder<ExecutableResource> AddLocalRabbitMq(this IDistributedApplicationBuilder builder, string name,
        string dataDirectory, BrokerUsers users, int amqpPort, int managementPort, int epmdPort, int distributionPort)
    {
        var server = ServerBinary.Require("RabbitMQ", "apt-get install rabbitmq-server", "/usr/lib/rabbitmq/bin/rabbitmq-server");
        var epmd = ServerBinary.Require("Erlang epmd", "apt-get install rabbitmq-server", "/usr/bin/epmd");
        Directory.CreateDirectory(dataDirectory);

        var definitions = Path.Combine(dataDirectory, "definitions.json");
        File.WriteAllText(definitions, users.Definitions());
        var config = $"loopback_users.guest = true\nlisteners.tcp.default = {amqpPort}\nload_definitions = {definitions}\n";
        if (managementPort > 0)
        {
            config += $"management.tcp.port = {managementPort}\nmanagement.tcp.ip = 127.0.0.1\n";
        }
        File.WriteAllText(Path.Combine(dataDirectory, "rabbitmq.conf"), config);
        File.WriteAllText(Path.Combine(dataDirectory, "enabled_plugins"), managementPort > 0 ? "[rabbitmq_management].\n" : "[].\n");

        var healthCheck = name + "-listening";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
            await Ports.AcceptsAsync(amqpPort, cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());

        var resource = builder.AddExecutable(name, "/bin/sh", dataDirectory,
                ForegroundScript.Arguments([[epmd, "-port", epmdPort.ToString(), "-address", "127.0.0.1"]], [server],
                    // RabbitMQ's orderly shutdown can outlast the orchestrator's stop timeout (~12 s); its message
                    // store recovers from an abrupt stop, and persistent messages were fsynced when confirmed.
                    stopSignal: "KILL"))
            .WithEnvironment("HOME", dataDirectory) // the Erlang cookie lives here
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString())
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODENAME", "authplatform" + amqpPort + "@localhost")
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", amqpPort.ToString())
            .WithEnvironment("RABBITMQ_DIST_PORT", distributionPort.ToString())
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(dataDirectory, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(dataDirectory, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_CONFIG_FILE", Path.Combine(dataDirectory, "rabbitmq"))
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(dataDirectory, "enabled_plugins"))
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(dataDirectory, "rabbitmq.pid"))
            .WithHealthCheck(healthCheck)
            .WithIconName("Mailbox");
        if (managementPort > 0)
        {
            resource.WithUrl(new Uri($"http://localhost:{managementPort}").ToString(), "RabbitMQ UI (guest/guest)");
        }
        return resource;
    }
}
