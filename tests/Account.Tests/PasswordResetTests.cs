using System.Net;

namespace AuthPlatform.Account.Tests;

public sealed class PasswordResetTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task Reset_by_email_link_sets_the_new_password_signs_out_everywhere_and_tells_the_owner()
    {
        var (email, tokens) = await _accounts.CreateVerifiedAccountAsync("reset");

        (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var message = await platform.Mailbox.WaitForAsync(email, "Reset your AuthPlatform password");
        var link = new Uri(message.LinkStartingWith(platform.Fleet.PublicBaseUrl + "/reset-password?token="));
        message.Html.ShouldContain("Reset password");

        // The link opens a form; GET changes nothing.
        using var page = await platform.Gateway.GetAsync(link.PathAndQuery);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("name=\"newPassword\"");
        var token = Uri.UnescapeDataString(link.Query["?token=".Length..]);

        // A weak choice is refused without spending the link.
        using var weak = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token, newPassword = "password" });
        weak.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        const string newPassword = "a brand new passphrase";
        using var confirm = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token, newPassword });
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await platform.Gateway.PostAsJsonAsync("/api/sessions/refresh", new { refreshToken = tokens.RefreshToken }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.SignInAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.SignInAsync(email, newPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await platform.Mailbox.WaitForAsync(email, "password was changed");

        // The link works once.
        using var again = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token, newPassword = "yet another passphrase" });
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Two_reset_requests_within_the_cooldown_send_one_email()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("reset-flood");

        for (var i = 0; i < 3; i++)
        {
            (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await platform.Mailbox.WaitForAsync(email, "Reset your AuthPlatform password");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a second email, if one were coming, would be here by now
        (await platform.Mailbox.AllToAsync(email)).Count(e => e.Subject.Contains("Reset your AuthPlatform password")).ShouldBe(1);
    }

    [Fact]
    public async Task Using_a_newer_reset_link_kills_every_older_one()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("reset-older");
        var older = await RequestResetTokenAsync(email, 1);
        // Account.Tests run verification with a short reset cooldown (AccountPlatform), so a second link can be had quickly.
        await Task.Delay(AccountPlatform.PasswordResetCooldown + TimeSpan.FromMilliseconds(500));
        var newer = await RequestResetTokenAsync(email, 2);

        using var confirmNewer = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token = newer, newPassword = "the newer link's passphrase" });
        confirmNewer.StatusCode.ShouldBe(HttpStatusCode.OK);

        // An attacker who found the older email in the mailbox cannot take the account back with it.
        using var confirmOlder = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token = older, newPassword = "the attacker's passphrase" });
        confirmOlder.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        confirmOlder.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await _accounts.SignInAsync(email, "the attacker's passphrase")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.SignInAsync(email, "the newer link's passphrase")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Known_and_unknown_addresses_do_the_same_work_in_the_request()
    {
        var (known, _) = await _accounts.CreateVerifiedAccountAsync("reset-same");
        var unknown = PlatformFixture.NewEmail("reset-ghost");

        (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email = known })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email = unknown })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        // Both requests wrote the same one event, carrying only the address; the account lookup happens later, in a consumer.
        (await OutboxEventTypesMentioningAsync(known)).ShouldContain(t => t.Contains("PasswordResetRequestReceived"));
        (await OutboxEventTypesMentioningAsync(unknown)).ShouldHaveSingleItem().ShouldContain("PasswordResetRequestReceived");
        await platform.Mailbox.WaitForAsync(known, "Reset your AuthPlatform password");
        (await platform.Mailbox.AllToAsync(unknown)).ShouldBeEmpty();
    }

    private async Task<string> RequestResetTokenAsync(string email, int emailNumber)
    {
        (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var link = new Uri((await platform.Mailbox.WaitForAsync(email, "Reset your AuthPlatform password", emailNumber))
            .LinkStartingWith(platform.Fleet.PublicBaseUrl + "/reset-password?token="));
        return Uri.UnescapeDataString(link.Query["?token=".Length..]);
    }

    private async Task<List<string>> OutboxEventTypesMentioningAsync(string email)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.Servers.Postgres.ConnectionStringFor("accountdb"));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT \"MessageType\" FROM outbox_messages WHERE \"Body\"::text ILIKE '%' || @email || '%'", connection);
        command.Parameters.AddWithValue("email", email);
        var types = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0));
        }
        return types;
    }
}
