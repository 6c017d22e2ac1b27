using AuthPlatform.Servers;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How a service reaches the platform's servers: the ConnectionStrings__&lt;name&gt; keys an AppHost injects, readiness
/// checks that answer within <see cref="HealthCheckTimeout"/>, and 503 (fail closed) when a server is down.
/// </summary>
public static class ServerConnections
{
    /// <summary>How long a readiness check may take before the server counts as down.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(3);

    public static string RequireConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Connection string '{name}' is missing. Set ConnectionStrings__{name} (the AppHost does).");

    /// <summary>
    /// Answers 503 problem+json when PostgreSQL, Redis or the broker is unreachable while a request needs it.
    /// </summary>
    public static IHostApplicationBuilder AddFailClosedOnServerOutage(this IHostApplicationBuilder builder)
    {
        // Once, however many servers ask for it.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, DependencyUnavailableHandler>());
        return builder;
    }

    /// <summary>
    /// The shared <see cref="IConnectionMultiplexer"/> through Aspire's Redis client (health check, tracing), tuned to
    /// fail fast: it starts while Redis is down and reconnects on its own; decisions that need Redis fail closed at the
    /// call site instead of waiting.
    /// </summary>
    public static IHostApplicationBuilder AddRedisServer(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.Configuration.RequireConnectionString(connectionName);
        builder.AddRedisClient(connectionName, configureOptions: options =>
        {
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2000;
            options.SyncTimeout = 2000;
            options.AsyncTimeout = 2000;
        });
        builder.AddFailClosedOnServerOutage();
        builder.LimitHealthCheckTime();
        return builder;
    }

    /// <summary>
    /// Readiness must answer while a server is down, not after the client's own connect timeout: every check that
    /// does not set its own time limit (the Aspire integrations' do not) gets <see cref="HealthCheckTimeout"/>.
    /// </summary>
    public static IHostApplicationBuilder LimitHealthCheckTime(this IHostApplicationBuilder builder)
    {
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Timeout == Timeout.InfiniteTimeSpan))
            {
                registration.Timeout = HealthCheckTimeout;
            }
        });
        return builder;
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
}
