using AuthPlatform.AppHost;
using Npgsql;

namespace AuthPlatform.ServiceDefaults.Tests;

public sealed class MigrationTests(ServiceDefaultsPlatform platform)
{
    [Fact]
    public async Task Three_replicas_starting_at_once_on_an_empty_database_migrate_it_exactly_once()
    {
        var database = "mfadb_race_" + Guid.NewGuid().ToString("N")[..8];
        await platform.Servers.Postgres.CreateDatabasesAsync(database);
        var overrides = new Dictionary<string, string?>
        {
            ["ConnectionStrings__mfadb"] = platform.Servers.Postgres.ConnectionStringFor(database),
        };

        var replicas = Enumerable.Range(0, 3).Select(_ => platform.Fleet.StartAdditional("mfa", overrides)).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => ServiceFleet.WaitHealthyAsync(r, TimeSpan.FromSeconds(90))));

            await using var connection = new NpgsqlConnection(platform.Servers.Postgres.ConnectionStringFor(database));
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var history = new NpgsqlCommand(
                "SELECT count(*), count(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\"", connection);
            await using var reader = await history.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            await reader.ReadAsync(TestContext.Current.CancellationToken);
            var (rows, distinct) = (reader.GetInt64(0), reader.GetInt64(1));
            rows.ShouldBeGreaterThan(0);
            rows.ShouldBe(distinct, "each migration is recorded once");
        }
        finally
        {
            await Task.WhenAll(replicas.Select(r => r.Process.StopAsync(TimeSpan.FromSeconds(10))));
        }
    }
}
