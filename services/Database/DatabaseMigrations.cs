using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

public static class DatabaseMigrations
{
    /// <summary>
    /// Applies <typeparamref name="TContext"/>'s EF Core migrations in the background. Replicas that start
    /// together take turns on a PostgreSQL advisory lock, so only one applies each migration. Readiness
    /// stays unhealthy until the schema is current; liveness does not wait for it. A service with Data Protection
    /// also gets its first key here, under the same lock (<see cref="SchemaMigrator{TContext}.EnsureDataProtectionKey"/>).
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseMigrations<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        builder.Services.AddSingleton<SchemaState<TContext>>();
        builder.Services.AddHostedService<SchemaMigrator<TContext>>();
        builder.Services.AddHealthChecks().AddCheck<SchemaState<TContext>>($"{typeof(TContext).Name}-schema", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Leaves the first read of the Data Protection key ring to the migrations step, after it made the first key.
    /// Data Protection's own hosted service reads the ring as the service starts and, finding it empty, makes a key
    /// of its own outside the migrations lock: two replicas starting together on an empty database still ended up
    /// with two keys (CI, KeyRingEncryptionTests). Call it after everything that adds Data Protection.
    /// </summary>
    public static IServiceCollection LoadKeyRingAfterMigrations(this IServiceCollection services)
    {
        var startupLoad = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList();
        if (startupLoad.Count == 0)
        {
            throw new InvalidOperationException(
                "Data Protection's start-up key-ring load was not found: call LoadKeyRingAfterMigrations after AddDataProtection, "
                + "or find what replaced DataProtectionHostedService in this ASP.NET Core version.");
        }
        startupLoad.ForEach(d => services.Remove(d));
        return services;
    }

    internal sealed class SchemaState<TContext> : IHealthCheck where TContext : DbContext
    {
        public volatile bool IsCurrent;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(IsCurrent ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Migrations have not been applied yet."));
    }

    internal sealed class SchemaMigrator<TContext>(
        IServiceScopeFactory scopes, SchemaState<TContext> state, ILogger<SchemaMigrator<TContext>> logger) : BackgroundService
        where TContext : DbContext
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var delay = TimeSpan.FromMilliseconds(500);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await MigrateAsync(stoppingToken);
                    state.IsCurrent = true;
                    logger.LogInformation("Database schema for {Context} is current", typeof(TContext).Name);
                    return;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Migrating {Context} failed; retrying in {Delay}", typeof(TContext).Name, delay);
                    await Task.Delay(delay, stoppingToken);
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
                }
            }
        }

        private async Task MigrateAsync(CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var lockName = $"authplatform.migrations.{typeof(TContext).Name}";

            // The lock belongs to this session, so MigrateAsync must run on the same open connection, and the
            // lock must be released explicitly: closing only returns the session to the pool, still holding it.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock(hashtext({lockName}))", cancellationToken);
                try
                {
                    await db.Database.MigrateAsync(cancellationToken);
                    EnsureDataProtectionKey(scope.ServiceProvider);
                    // What Data Protection's start-up load did (LoadKeyRingAfterMigrations), now that the ring has its key.
                    scope.ServiceProvider.GetService<IKeyRingProvider>()?.GetCurrentKeyRing();
                }
                finally
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock(hashtext({lockName}))", CancellationToken.None);
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        /// <summary>
        /// Makes the key ring's first key (or a successor when every key has expired) while the replicas take turns,
        /// before readiness. Left to first use, two replicas starting together on an empty ring each made a key of
        /// their own and kept a ring without the other's until they read it again a day later: a TOTP secret one
        /// replica protected failed to open on the other (500 on confirm, seen in <c>./bench.sh</c>).
        /// </summary>
        internal static void EnsureDataProtectionKey(IServiceProvider services)
        {
            if (services.GetService<IKeyManager>() is not { } keys)
            {
                return;
            }
            // Data Protection's own clock, the system's: a key dated by a service's test clock could be one it ignores.
            var now = DateTimeOffset.UtcNow;
            if (keys.GetAllKeys().Any(key => !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now))
            {
                return;
            }
            var lifetime = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyManagementOptions>>().Value.NewKeyLifetime;
            keys.CreateNewKey(now, now + lifetime);
        }
    }
}
