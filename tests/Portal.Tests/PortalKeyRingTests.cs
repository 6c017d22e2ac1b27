using System.Net;

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
        await platform.Fleet.WaitUntilGatewayServesAsync("/sign-in", "the restarted portal");

        await visit.GotoAsync("/account");
        await visit.ExpectHeadingAsync("Your account");
        visit.Page.Url.ShouldEndWith("/account", Case.Insensitive, "the cookie sealed before the restart still opens");

        var keyRing = await _accounts.ReadColumnAsync("portaldb", "SELECT \"Xml\" FROM data_protection_keys");
        keyRing.ShouldNotBeEmpty();
        foreach (var xml in keyRing)
        {
            xml.ShouldNotContain("<masterKey", Case.Insensitive, "the master key is never stored in clear");
            xml.ShouldContain("EncryptedData");
        }
    }

    [Fact]
    public async Task While_portaldb_refuses_connections_a_restarted_portal_says_temporarily_unavailable_and_recovers_by_itself()
    {
        var portal = platform.Fleet.Replicas("portal").Single();
        // portaldb alone goes away for the portal (the other services keep their databases): new connections are refused.
        await _accounts.ExecuteSqlAsync("accountdb", "ALTER DATABASE portaldb ALLOW_CONNECTIONS false");
        try
        {
            await platform.Fleet.StopInstanceAsync(portal);
            await platform.Fleet.StartInstanceAsync("portal", portal.Replica);
            await platform.Fleet.WaitUntilGatewayServesAsync("/css/portal.css", "the restarted portal");

            // The sign-in form needs the key ring (its antiforgery token), which the portal cannot read yet.
            using var page = await platform.Gateway.GetAsync("/sign-in", TestContext.Current.CancellationToken);
            page.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, "a database that is down is not a bug: never a 500");
            page.Headers.RetryAfter.ShouldNotBeNull();
            var body = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            body.ShouldContain("Temporarily unavailable");
            body.ShouldNotContain("Exception");
        }
        finally
        {
            await _accounts.ExecuteSqlAsync("accountdb", "ALTER DATABASE portaldb ALLOW_CONNECTIONS true");
        }

        await PlatformFixture.EventuallyAsync("the sign-in page once portaldb is back", async () =>
        {
            using var page = await platform.Gateway.GetAsync("/sign-in");
            return page.StatusCode == HttpStatusCode.OK;
        });
    }
}
