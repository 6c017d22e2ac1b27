using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The event bus: MassTransit keeps its own RabbitMQ connection (Aspire.RabbitMQ.Client would add a second one that
/// nothing uses).
/// </summary>
public static class EventBus
{
    /// <summary>
    /// MassTransit on RabbitMQ from ConnectionStrings__eventbus (amqp://user:pass@host:port[/vhost]).
    /// MassTransit registers its own bus readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddEventBus(this IHostApplicationBuilder builder, string connectionName,
        Action<IBusRegistrationConfigurator>? configure = null)
    {
        var uri = new Uri(builder.Configuration.RequireConnectionString(connectionName));
        var (user, password) = EventBusCredentials(uri, builder.Environment);
        var virtualHost = uri.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));

        builder.AddFailClosedOnServerOutage();
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit 8.4+ reports "anonymous usage telemetry" to its vendor over the internet unless told not to;
            // an identity platform sends nothing to a third party on its own.
            bus.DisableUsageTelemetry();
            configure?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), virtualHost, host =>
                {
                    host.Username(user);
                    host.Password(password);
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        // MassTransit's own "masstransit-bus" check only notices a lost broker once the bus holds a
        // connection (a publish-only bus connects lazily), so also check that the broker is reachable.
        var port = uri.IsDefaultPort ? 5672 : uri.Port;
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName, _ => new ServerConnections.TcpReachable(uri.Host, port, "RabbitMQ"), HealthStatus.Unhealthy, ["ready", "rabbitmq"], ServerConnections.HealthCheckTimeout));
        return builder;
    }

    /// <summary>
    /// The broker user from the connection string. Each service has a user of its own (write permission on its own
    /// exchanges only); RabbitMQ's <c>guest</c>, which may do anything, is accepted only in Development, and a
    /// connection string without a user falls back to it only there.
    /// </summary>
    public static (string User, string Password) EventBusCredentials(Uri uri, IHostEnvironment environment)
    {
        var (user, password) = ("guest", "guest");
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            (user, password) = (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }
        if (user == "guest" && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                "ConnectionStrings__eventbus uses RabbitMQ's guest user (or none). Outside Development each service needs a broker user of its own, "
                + "allowed to write only to the exchanges of the events it publishes (./run.sh creates them).");
        }
        return (user, password);
    }
}
