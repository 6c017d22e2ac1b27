using AuthPlatform.AppHost;
using Npgsql;

namespace AuthPlatform.ServiceDefaults.Tests;

public sealed class OutboxPurgeTests(ServiceDefaultsPlatform platform)
{
    [Fact]
    public async Task Published_outbox_rows_older_than_the_retention_are_purged_and_newer_ones_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = "mfadb_purge_" + Guid.NewGuid().ToString("N")[..8];
        await platform.Servers.Postgres.CreateDatabasesAsync(database);
        var replica = platform.Fleet.StartAdditional("mfa", new Dictionary<string, string?>
        {
            ["ConnectionStrings__mfadb"] = platform.Servers.Postgres.ConnectionStringFor(database),
            ["Outbox__KeepPublishedFor"] = "7.00:00:00",
            ["Outbox__PurgeEvery"] = "00:00:01",
        });
        try
        {
            await ServiceFleet.WaitHealthyAsync(replica, TimeSpan.FromSeconds(90));
            await using var connection = new NpgsqlConnection(platform.Servers.Postgres.ConnectionStringFor(database));
            await connection.OpenAsync(ct);
            await PlatformFixture.EventuallyAsync("the outbox table exists", async () =>
            {
                await using var exists = new NpgsqlCommand("SELECT to_regclass('outbox_messages') IS NOT NULL", connection);
                return (bool)(await exists.ExecuteScalarAsync(ct))!;
            }, TimeSpan.FromSeconds(60));

            // Rows as the publisher leaves them: 8 days old (past retention) and 1 day old (kept).
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO outbox_messages ("MessageId", "MessageType", "Body", "CreatedAt", "PublishedAt", "Attempts") VALUES
                  (gen_random_uuid(), 'Old', '{}', now() - interval '8 days', now() - interval '8 days', 1),
                  (gen_random_uuid(), 'Recent', '{}', now() - interval '1 day', now() - interval '1 day', 1)
                """, connection))
            {
                await insert.ExecuteNonQueryAsync(ct);
            }

            await PlatformFixture.EventuallyAsync("the old published row is purged", async () =>
            {
                await using var count = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE \"MessageType\" = 'Old'", connection);
                return (long)(await count.ExecuteScalarAsync(ct))! == 0;
            }, TimeSpan.FromSeconds(30));
            await using var recent = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE \"MessageType\" = 'Recent'", connection);
            ((long)(await recent.ExecuteScalarAsync(ct))!).ShouldBe(1, "rows within the retention stay");
        }
        finally
        {
            await replica.Process.StopAsync(TimeSpan.FromSeconds(10));
        }
    }
}
