using System.Net;
using System.Net.Http.Json;

namespace AuthPlatform.Account.Tests;

/// <summary>ASVS 3.3: the owner sees and ends sessions; sessions have an absolute lifetime; a reset or password change ends them.</summary>
public sealed class SessionManagementTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task The_owner_lists_sessions_and_signs_out_everywhere_else()
    {
        var (email, laptop) = await _accounts.CreateVerifiedAccountAsync("sessions");
        var phone = await _accounts.SignInVerifiedAsync(email);
        var tablet = await _accounts.SignInVerifiedAsync(email);

        using var list = await _accounts.SendAsync(HttpMethod.Get, "/api/sessions", laptop.AccessToken);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        var sessions = (await AccountClient.JsonAsync(list)).EnumerateArray().ToList();
        sessions.Count.ShouldBe(3);
        sessions.Count(s => s.GetProperty("current").GetBoolean()).ShouldBe(1);
        sessions.ShouldAllBe(s => s.GetProperty("methods").EnumerateArray().Single().GetString() == "pwd");

        // End one by id, then all the others.
        var tabletId = sessions.Single(s => !s.GetProperty("current").GetBoolean()
            && s.GetProperty("lastRefreshedAt").GetDateTimeOffset() == sessions.Max(x => x.GetProperty("lastRefreshedAt").GetDateTimeOffset())).GetProperty("id").GetString();
        (await _accounts.SendAsync(HttpMethod.Delete, $"/api/sessions/{tabletId}", laptop.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _accounts.RefreshAsync(tablet.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.SendAsync(HttpMethod.Delete, $"/api/sessions/{Guid.NewGuid()}", laptop.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await _accounts.SendAsync(HttpMethod.Delete, "/api/sessions", laptop.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _accounts.RefreshAsync(phone.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.RefreshAsync(laptop.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Nobody else's session can be ended or seen.
        var (_, stranger) = await _accounts.CreateVerifiedAccountAsync("stranger");
        var strangerList = (await AccountClient.JsonAsync(await _accounts.SendAsync(HttpMethod.Get, "/api/sessions", stranger.AccessToken))).EnumerateArray().ToList();
        strangerList.Count.ShouldBe(1);
        var laptopId = sessions.Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();
        (await _accounts.SendAsync(HttpMethod.Delete, $"/api/sessions/{laptopId}", stranger.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_session_refreshed_every_day_still_ends_at_its_absolute_lifetime()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("absolute");
        using var refreshed = await _accounts.RefreshAsync(tokens.RefreshToken);
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var next = (await refreshed.Content.ReadFromJsonAsync<Tokens>())!;

        // 30 days after the sign-in (Sessions__AbsoluteLifetime), however recently it was refreshed.
        var accountId = (await AccountClient.JsonAsync(await _accounts.GetProfileAsync(next.AccessToken))).GetProperty("id").GetGuid();
        (await _accounts.ExecuteSqlAsync("accountdb",
            """UPDATE refresh_tokens SET "FamilyExpiresAt" = now() - interval '1 second' WHERE "AccountId" = $1""", accountId)).ShouldBeGreaterThan(0);
        using var ended = await _accounts.RefreshAsync(next.RefreshToken);
        ended.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refreshes_racing_a_password_reset_do_not_outlive_it()
    {
        var (email, tokens) = await _accounts.CreateVerifiedAccountAsync("race");
        (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var link = new Uri((await platform.Mailbox.WaitForAsync(email, "Reset your")).LinkStartingWith(platform.Fleet.PublicBaseUrl + "/reset-password?token="));
        var resetToken = Uri.UnescapeDataString(link.Query["?token=".Length..]);

        // Keep refreshing the session (each time with the newest token) while the reset happens.
        var current = tokens.RefreshToken;
        using var stop = new CancellationTokenSource();
        var refresher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await _accounts.RefreshAsync(current);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return;
                }
                current = (await response.Content.ReadFromJsonAsync<Tokens>())!.RefreshToken;
            }
        });
        await Task.Delay(200);
        using var reset = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm",
            new { token = resetToken, newPassword = "a completely new passphrase" });
        reset.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Task.Delay(300);
        await stop.CancelAsync();
        await refresher;

        // Whatever token the loop got last, it is dead.
        (await _accounts.RefreshAsync(current)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.SignInAsync(email, "a completely new passphrase")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_ends_every_other_session()
    {
        var (email, laptop) = await _accounts.CreateVerifiedAccountAsync("change");
        var phone = await _accounts.SignInVerifiedAsync(email);
        const string newPassword = "my brand new passphrase";

        using var wrong = await _accounts.SendAsync(HttpMethod.Post, "/api/accounts/me/password", laptop.AccessToken,
            new { currentPassword = "a guess at the password", newPassword });
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var weak = await _accounts.SendAsync(HttpMethod.Post, "/api/accounts/me/password", laptop.AccessToken,
            new { currentPassword = AccountClient.GoodPassword, newPassword = "short1" });
        weak.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AccountClient.ProblemTypeAsync(weak)).ShouldBe("weak-password");
        (await _accounts.RefreshAsync(phone.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "refused attempts change nothing");
        phone = await _accounts.SignInVerifiedAsync(email);

        using var changed = await _accounts.SendAsync(HttpMethod.Post, "/api/accounts/me/password", laptop.AccessToken,
            new { currentPassword = AccountClient.GoodPassword, newPassword });
        changed.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await _accounts.RefreshAsync(phone.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.RefreshAsync(laptop.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _accounts.SignInAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.SignInAsync(email, newPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await platform.Mailbox.WaitForAsync(email, "password was changed");
    }

    [Fact]
    public async Task A_password_typed_with_decomposed_accents_or_full_width_digits_is_the_same_password()
    {
        var email = PlatformFixture.NewEmail("nfkc");
        const string composed = "café crème au lait 2024";                  // é as one code point, ASCII digits
        var typedElsewhere = "cafe\u0301 cre\u0300me au lait \uFF12\uFF10\uFF12\uFF14"; // e + combining accent, full-width digits
        (await _accounts.SignUpAsync(email, composed)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _accounts.PressVerifyInEmailAsync(email)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _accounts.SignInVerifiedAsync(email, composed);
        (await _accounts.SignInAsync(email, typedElsewhere)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
