using System.Net;
using System.Net.Http.Json;

namespace AuthPlatform.Account.Tests;

/// <summary>What can never be used again is deleted on a schedule (this assembly runs the purge every 3 s).</summary>
public sealed class DataPurgeTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task Expired_registrations_and_long_dead_refresh_tokens_are_purged_and_live_ones_kept()
    {
        var expired = PlatformFixture.NewEmail("purge-expired");
        var waiting = PlatformFixture.NewEmail("purge-waiting");
        (await _accounts.SignUpAsync(expired)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _accounts.SignUpAsync(waiting)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _accounts.ExecuteSqlAsync("accountdb",
            """UPDATE pending_registrations SET "ExpiresAt" = now() - interval '1 second' WHERE "EmailKey" = $1""", expired)).ShouldBe(1);

        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("purge-session");
        using var refreshed = await _accounts.RefreshAsync(tokens.RefreshToken);
        var live = (await refreshed.Content.ReadFromJsonAsync<Tokens>())!;
        var (_, ended) = await _accounts.CreateVerifiedAccountAsync("purge-ended");
        using (var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/sessions/current") { Content = JsonContent.Create(new { refreshToken = ended.RefreshToken }) })
        {
            (await platform.Gateway.SendAsync(signOut)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        var endedHash = AuthPlatform.Security.OpaqueToken.Hash(ended.RefreshToken);
        (await _accounts.ExecuteSqlAsync("accountdb",
            """UPDATE refresh_tokens SET "RevokedAt" = now() - interval '2 days' WHERE "TokenHash" = $1""", endedHash)).ShouldBe(1);

        await PlatformFixture.EventuallyAsync("the expired registration and the long-revoked token are deleted", async () =>
            await CountAsync("""SELECT count(*) FROM pending_registrations WHERE "EmailKey" = $1""", expired) == 0
            && await CountAsync("""SELECT count(*) FROM refresh_tokens WHERE "TokenHash" = $1""", endedHash) == 0, TimeSpan.FromSeconds(30));

        (await CountAsync("""SELECT count(*) FROM pending_registrations WHERE "EmailKey" = $1""", waiting)).ShouldBe(1);
        (await _accounts.RefreshAsync(live.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "a live session is kept");
    }

    private async Task<long> CountAsync(string sql, object parameter)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.Servers.ConnectionStrings["accountdb"]);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = parameter });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
