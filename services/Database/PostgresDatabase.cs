using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class PostgresDatabase
{
    /// <summary>
    /// <typeparamref name="TContext"/> on PostgreSQL through Aspire's EF Core integration (context pooling, readiness
    /// check, tracing, metrics) from ConnectionStrings__<paramref name="connectionName"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPostgresDbContext<TContext>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
    {
        builder.Configuration.RequireConnectionString(connectionName);
        builder.AddNpgsqlDbContext<TContext>(connectionName, settings =>
        {
            // No retrying execution strategy: requests use explicit transactions (which a retrying strategy refuses
            // unless each is wrapped in it), and a database that is down should answer 503 at once, not after hidden
            // retries.
            settings.DisableRetry = true;
            settings.ConnectionString = WithAutoPrepare(settings.ConnectionString);
        });
        builder.AddFailClosedOnServerOutage();
        builder.LimitHealthCheckTime();
        return builder;
    }

    /// <summary>
    /// Statements a connection runs again and again (the hot paths' handful) are prepared on it, so PostgreSQL
    /// parses and plans them once (docs/benchmarks.md). An operator's own Max Auto Prepare wins.
    /// </summary>
    private static string? WithAutoPrepare(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString) || connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            return connectionString;
        }
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 32, AutoPrepareMinUsages = 3 }.ConnectionString;
    }
}
