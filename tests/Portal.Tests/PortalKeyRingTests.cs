using Npgsql;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// The key ring that seals the portal's session cookies: shared and durable in portaldb, so a restart (or another
/// replica) keeps people signed in, and stored there only encrypted, so a copy of portaldb opens no cookie.
/// </summary>
public sealed class PortalKeyRingTests(PortalPlatform platform, BrowserFixture browser)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task A_portal_restart_keeps_people_signed_in_and_portaldb_holds_the_key_ring_only_encrypted()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-key-ring");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await visit.GotoAsync("/sign-in");
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.WaitForURLAsync("**/account");

        var portal = platform.Fleet.Replicas("portal").Single();
        await platform.Fleet.StopInstanceAsync(portal);
        await platform.Fleet.StartInstanceAsync("portal", portal.Replica);
        await GatewayRoutesToThePortalAgainAsync();

        await visit.GotoAsync("/account");
        await visit.ExpectHeadingAsync("Your account");
        visit.Page.Url.ShouldEndWith("/account", Case.Insensitive, "the cookie sealed before the restart still opens");

        var keyRing = await KeyRingRowsAsync();
        keyRing.ShouldNotBeEmpty();
        foreach (var xml in keyRing)
        {
            xml.ShouldNotContain("<masterKey", Case.Insensitive, "the master key is never stored in clear");
            xml.ShouldContain("EncryptedData");
        }
    }

    // The gateway took the stopped portal out of rotation; its next successful probe brings the new one back.
    private async Task GatewayRoutesToThePortalAgainAsync()
    {
        using var http = new HttpClient { BaseAddress = platform.Fleet.GatewayAddress, Timeout = TimeSpan.FromSeconds(5) };
        await PlatformFixture.EventuallyAsync("the gateway routes to the restarted portal", async () =>
        {
            try
            {
                using var response = await http.GetAsync("/sign-in");
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        });
    }

    private async Task<List<string>> KeyRingRowsAsync()
    {
        await using var connection = new NpgsqlConnection(platform.Servers.Postgres.ConnectionStringFor("portaldb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Xml\" FROM data_protection_keys", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
