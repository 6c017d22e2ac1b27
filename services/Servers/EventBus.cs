using AuthPlatform.Servers;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The event bus: MassTransit keeps its own RabbitMQ connection (Aspire.RabbitMQ.Client would add a second one that
/// nothing uses).
/// </summary>
public static class EventBus
{
    /// <summary>
    /// How long a publish or send may wait for the broker to take the message (its confirm). Past it the call fails with
    /// a <see cref="TimeoutException"/>: a 503 for a request, a retry for a consumer or the outbox.
    /// </summary>
    public static readonly TimeSpan ConfirmDeadline = TimeSpan.FromSeconds(10);

    /// <summary>The liveness check of the bus's consumers (<see cref="StuckConsumerCheck"/>), as /health reports it.</summary>
    public const string StuckConsumersCheckName = "eventbus-consumers";

    /// <summary>
    /// Runs <paramref name="publish"/> (a publish or a send) within <see cref="ConfirmDeadline"/>. The deadline is kept
    /// around the call, not only passed in as its token: MassTransit does not always honour that token (a publish whose
    /// channel died while its confirm was pending can wait for good after a broker restart), and a consumer stuck in
    /// such a publish keeps its receive endpoint from reconnecting. A publish given up here may still reach the broker
    /// later: the outbox and the consumers publish with message ids that the receiving consumers de-duplicate on, and
    /// a request that was answered 503 is for its client to repeat.
    /// </summary>
    public static async Task WithinConfirmDeadline(Func<CancellationToken, Task> publish, CancellationToken cancellationToken,
        TimeProvider? time = null)
    {
        using var deadline = new CancellationTokenSource(ConfirmDeadline, time ?? TimeProvider.System);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await publish(either.Token).WaitAsync(either.Token);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The event bus did not take the message within {ConfirmDeadline.TotalSeconds:0} s.", ex);
        }
    }

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
            bus.WatchForStuckConsumers(); // first, so it is outside every other filter (retries included)
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
        builder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration(connectionName, _ => new ServerConnections.TcpReachable(uri.Host, port, "RabbitMQ"),
                HealthStatus.Unhealthy, ["ready", "rabbitmq"], ServerConnections.HealthCheckTimeout))
            .Add(new HealthCheckRegistration(StuckConsumersCheckName, services => services.GetRequiredService<StuckConsumerCheck>(),
                HealthStatus.Unhealthy, [Extensions.LiveTag], ServerConnections.HealthCheckTimeout));
        return builder;
    }

    /// <summary>Puts <see cref="StuckConsumerCheck"/> on every receive endpoint, outside the filters configured after it.</summary>
    public static IBusRegistrationConfigurator WatchForStuckConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddSingleton(TimeProvider.System);
        bus.TryAddSingleton<StuckConsumerCheck>();
        bus.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseFilter(context.GetRequiredService<StuckConsumerCheck>()));
        return bus;
    }

    /// <summary>
    /// Retries a consumer whose server (PostgreSQL, Redis, the broker) is down, for about a minute and a half, on every
    /// receive endpoint of the bus. Without it MassTransit moves the message to the queue's <c>_error</c> queue at the first
    /// failure: an email verified during a database restart would never make its account.
    /// Failures that are not a server being down (a bug, a message that cannot be handled) are not retried.
    /// </summary>
    public static IBusRegistrationConfigurator RetryWhileAServerIsDown(this IBusRegistrationConfigurator bus)
    {
        bus.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseMessageRetry(retry =>
        {
            // About 1, 3, 7, 15, 30 and 30 s (MassTransit adds ±20 %): longer than a server restart, short enough to
            // hold a message in memory.
            retry.Exponential(6, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
            retry.Handle<Exception>(exception => DependencyFailure.Is(exception) || exception is MassTransitException);
        }));
        return bus;
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
