using System.Data.Common;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

// Small stand-ins for the Aspire client integrations (Aspire.Npgsql.EntityFrameworkCore.PostgreSQL,
// Aspire.StackExchange.Redis, and the RabbitMQ wiring) that the package mirror here does not carry.
// They read the same ConnectionStrings__<name> keys an AppHost injects and register the same
// readiness checks.
public static class ServerConnections
{
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(3);

    public static string RequireConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Connection string '{name}' is missing. Set ConnectionStrings__{name} (the AppHost and ./run.sh do).");

    /// <summary>Registers <typeparamref name="TContext"/> on PostgreSQL with a readiness check.</summary>
    public static IHostApplicationBuilder AddNpgsqlDbContext<TContext>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
    {
        var connectionString = builder.Configuration.RequireConnectionString(connectionName);
        var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        builder.Services.AddKeyedSingleton(connectionName, dataSource);
        // No retrying execution strategy: requests use explicit transactions, and a database that is down
        // should answer 503 at once (see DependencyUnavailableHandler), not after hidden retries.
        builder.Services.AddDbContext<TContext>(options => options.UseNpgsql(dataSource));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            _ => new PostgresHealthCheck(dataSource),
            HealthStatus.Unhealthy,
            ["ready", "postgres"],
            HealthCheckTimeout));
        return builder;
    }

    /// <summary>Registers a shared <see cref="IConnectionMultiplexer"/> that reconnects on its own, with a readiness check.</summary>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var options = ConfigurationOptions.Parse(builder.Configuration.RequireConnectionString(connectionName));
        // Start even while Redis is down; decisions that need it fail closed at the call site.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            sp => new RedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()),
            HealthStatus.Unhealthy,
            ["ready", "redis"],
            HealthCheckTimeout));
        return builder;
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

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
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
            connectionName, _ => new TcpReachable(uri.Host, port, "RabbitMQ"), HealthStatus.Unhealthy, ["ready", "rabbitmq"], HealthCheckTimeout));
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

    /// <summary>Readiness for a server we only need to reach: it accepts a TCP connection.</summary>
    public sealed class TcpReachable(string host, int port, string what) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(host, port, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"{what} is unreachable.", ex);
            }
        }
    }

    private sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL is unreachable.", ex);
            }
        }
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable.", ex);
            }
        }
    }
}
