using System.Net;
using System.Net.Http.Json;
using MassTransit;
using OtpNet;

namespace AuthPlatform.Account.Tests;

/// <summary>
/// ASVS 2.5.x / 3.x: a token from an access key never changes factors or keys, and a session must have proven
/// itself recently (this assembly runs with RecentSignIn__MaxAge = 10 s) before it enrols, changes or disables a
/// factor or creates a key. Enrolling a factor ends every other session.
/// </summary>
public sealed class SensitiveChangeTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task A_token_from_an_access_key_cannot_enrol_a_factor_disable_it_or_create_a_key()
    {
        var (_, session) = await _accounts.CreateVerifiedAccountAsync("key-token");
        var keyToken = await KeyTokenAsync(session.AccessToken);

        foreach (var (method, path, body) in new (HttpMethod, string, object)[]
        {
            (HttpMethod.Post, "/api/mfa/totp", new { }),
            (HttpMethod.Post, "/api/mfa/sms", new { phoneNumber = "+14155550100" }),
            (HttpMethod.Post, "/api/mfa/totp/confirm", new { code = "123456" }),
            (HttpMethod.Post, "/api/mfa/recovery-codes", new { code = "123456" }),
            (HttpMethod.Delete, "/api/mfa", new { code = "123456" }),
            (HttpMethod.Post, "/api/access-keys", new { name = "from a key" }),
            (HttpMethod.Post, "/api/sessions/reauthenticate", new { password = AccountClient.GoodPassword }),
            (HttpMethod.Post, "/api/accounts/me/password", new { currentPassword = AccountClient.GoodPassword, newPassword = "a key holder's new passphrase" }),
        })
        {
            using var refused = await _accounts.SendAsync(method, path, keyToken, body);
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{method} {path}");
            (await AccountClient.ProblemTypeAsync(refused)).ShouldBe("access-key-token", $"{method} {path}");
        }
        // Reading is fine, and the owner's session still enrols.
        (await _accounts.SendAsync(HttpMethod.Get, "/api/mfa", keyToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp", session.AccessToken, new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_old_session_reauthenticates_before_enrolling_and_every_other_session_ends_on_enrolment()
    {
        var (email, session) = await _accounts.CreateVerifiedAccountAsync("stale");
        var otherDevice = await _accounts.SignInVerifiedAsync(email);

        await Task.Delay(TimeSpan.FromSeconds(12)); // past RecentSignIn__MaxAge
        foreach (var (path, body) in new (string, object)[] { ("/api/mfa/totp", new { }), ("/api/access-keys", new { name = "k" }) })
        {
            using var stale = await _accounts.SendAsync(HttpMethod.Post, path, session.AccessToken, body);
            stale.StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
            (await AccountClient.ProblemTypeAsync(stale)).ShouldBe("reauthentication-required", path);
        }
        // A refreshed token is no fresher: refreshing proves nothing.
        using var refreshed = await _accounts.RefreshAsync(session.RefreshToken);
        var refreshedTokens = (await refreshed.Content.ReadFromJsonAsync<Tokens>())!;
        (await _accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp", refreshedTokens.AccessToken, new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var wrong = await _accounts.SendAsync(HttpMethod.Post, "/api/sessions/reauthenticate", refreshedTokens.AccessToken,
            new { password = "not my password at all" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var proven = await _accounts.SendAsync(HttpMethod.Post, "/api/sessions/reauthenticate", refreshedTokens.AccessToken,
            new { password = AccountClient.GoodPassword });
        proven.StatusCode.ShouldBe(HttpStatusCode.OK);
        var fresh = (await AccountClient.JsonAsync(proven)).GetProperty("accessToken").GetString()!;

        // Enrol TOTP with the renewed token.
        using var start = await _accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp", fresh, new { });
        start.StatusCode.ShouldBe(HttpStatusCode.OK);
        var secret = Base32Encoding.ToBytes((await AccountClient.JsonAsync(start)).GetProperty("secret").GetString()!);
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        string Code(long s) => new Totp(secret).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(s * 30).UtcDateTime);
        (await _accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", fresh, new { code = Code(step) })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The other device's session ends (it may be the intruder's); the enrolling session goes on.
        await PlatformFixture.EventuallyAsync("the other session is revoked", async () =>
            (await _accounts.RefreshAsync(otherDevice.RefreshToken)).StatusCode == HttpStatusCode.Unauthorized);
        (await _accounts.RefreshAsync(refreshedTokens.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // With 2FA on, the password alone no longer reauthenticates; password and code do.
        using var passwordOnly = await _accounts.SendAsync(HttpMethod.Post, "/api/sessions/reauthenticate", fresh,
            new { password = AccountClient.GoodPassword });
        passwordOnly.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AccountClient.ProblemTypeAsync(passwordOnly)).ShouldBe("second-factor-required");
        using var withCode = await _accounts.SendAsync(HttpMethod.Post, "/api/sessions/reauthenticate", fresh,
            new { password = AccountClient.GoodPassword, method = "totp", code = Code(step + 1) });
        withCode.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_enrolment_event_handled_late_ends_the_sessions_of_its_moment_but_not_one_signed_in_since()
    {
        var (email, enrolling) = await _accounts.CreateVerifiedAccountAsync("late-event");
        var before = await _accounts.SignInVerifiedAsync(email);
        var occurredAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1));
        var since = await _accounts.SignInVerifiedAsync(email);
        var accountId = (await AccountClient.JsonAsync(await _accounts.GetProfileAsync(enrolling.AccessToken))).GetProperty("id").GetGuid();
        var enrollingSession = (await AccountClient.JsonAsync(await _accounts.SendAsync(HttpMethod.Get, "/api/sessions", enrolling.AccessToken)))
            .EnumerateArray().Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();

        // The event of an enrolment at occurredAt, handled only now (as after a broker outage).
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(platform.Servers.RabbitMq.ConnectionString)));
        await bus.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await bus.Publish(new AuthPlatform.Contracts.MfaEnabled(accountId, email, "totp", Reconfigured: false, occurredAt, enrollingSession));
        }
        finally
        {
            await bus.StopAsync();
        }

        await PlatformFixture.EventuallyAsync("the session of that moment is revoked", async () =>
            (await _accounts.RefreshAsync(before.RefreshToken)).StatusCode == HttpStatusCode.Unauthorized);
        (await _accounts.RefreshAsync(since.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "signed in after the enrolment");
        (await _accounts.RefreshAsync(enrolling.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "the enrolling session");
    }

    private async Task<string> KeyTokenAsync(string sessionToken)
    {
        using var created = await _accounts.SendAsync(HttpMethod.Post, "/api/access-keys", sessionToken, new { name = "ci" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var key = await AccountClient.JsonAsync(created);
        using var token = await platform.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", key.GetProperty("accessKeyId").GetString()!),
            new("client_secret", key.GetProperty("secret").GetString()!),
        ]));
        token.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await AccountClient.JsonAsync(token)).GetProperty("access_token").GetString()!;
    }
}
