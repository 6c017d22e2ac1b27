using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AuthPlatform.Account.Tests;

/// <summary>
/// "Remember this device" through the API (the CLI's path; Portal.Tests drive the browser's): a remembered device
/// token skips the second factor for its own account only, never when the client asks for every factor, and never
/// once it was forgotten or an invalidating event (password, sessions, second factor) came.
/// </summary>
public sealed class RememberedDeviceTests(AccountPlatform platform)
{
    private const string DevicesPath = "/api/sessions/remembered-devices";

    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task A_remembered_device_token_skips_the_second_factor_for_its_own_account_only_and_not_once_forgotten()
    {
        var owner = await CreateWithTotpAsync("remember-owner");
        var first = await PasswordStepAsync(owner.Email, deviceToken: null);
        first.GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        first.GetProperty("rememberDeviceFor").GetInt32().ShouldBe((int)TimeSpan.FromDays(30).TotalSeconds);
        var notRemembered = first.GetProperty("deviceToken").GetString()!;
        // The answer says how long to keep the token: SignIn__DeviceTokenLifetime, 180 days.
        first.GetProperty("deviceTokenExpiresAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddDays(180), TimeSpan.FromMinutes(5));
        var remembered = await SecondStepAsync(first, "totp", await owner.App.NextCodeAsync(), remember: true);
        var deviceToken = remembered.GetProperty("deviceToken").GetString()!;
        remembered.GetProperty("deviceRememberedUntil").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddDays(30), TimeSpan.FromMinutes(5));
        remembered.GetProperty("deviceTokenExpiresAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddDays(180), TimeSpan.FromMinutes(5));

        // The password alone now signs in on this device; the session says it proved the password only.
        var skipped = await PasswordStepAsync(owner.Email, deviceToken);
        skipped.TryGetProperty("mfaRequired", out _).ShouldBeFalse();
        Amr(skipped.GetProperty("accessToken").GetString()!).ShouldBe(["pwd"]);
        skipped.TryGetProperty("deviceRememberedUntil", out _).ShouldBeTrue();
        // Not when the client asks for every factor, not with the token from before it was remembered, nor with a wrong password.
        (await PasswordStepAsync(owner.Email, deviceToken, requireSecondFactor: true)).GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        (await PasswordStepAsync(owner.Email, notRemembered)).GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        using (var wrong = await SignInAsync(owner.Email, deviceToken, password: "not the right password"))
        {
            wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        // Another account never accepts it, and cannot see or forget the owner's device.
        var other = await CreateWithTotpAsync("remember-other");
        (await PasswordStepAsync(other.Email, deviceToken)).GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        var devices = await ListAsync(owner.Tokens.AccessToken);
        devices.Length.ShouldBe(1);
        var id = devices[0].GetProperty("id").GetString()!;
        (await ListAsync(other.Tokens.AccessToken)).ShouldBeEmpty();
        using (var foreign = await _accounts.SendAsync(HttpMethod.Delete, $"{DevicesPath}/{id}", other.Tokens.AccessToken))
        {
            foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        // Forgotten, the token asks for the second factor again.
        using (var forget = await _accounts.SendAsync(HttpMethod.Delete, $"{DevicesPath}/{id}", owner.Tokens.AccessToken))
        {
            forget.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        (await PasswordStepAsync(owner.Email, deviceToken)).GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        (await ListAsync(owner.Tokens.AccessToken)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("sign-out-everywhere")]
    [InlineData("password-reset")]
    [InlineData("password-change")]
    [InlineData("two-factor-off")]
    [InlineData("two-factor-reconfigured")]
    public async Task Each_invalidating_event_forgets_every_remembered_device(string change)
    {
        var account = await CreateWithTotpAsync("remember-" + change);
        var step = await PasswordStepAsync(account.Email, deviceToken: null);
        var remembered = await SecondStepAsync(step, "recovery_code", account.RecoveryCodes[0], remember: true);
        var deviceToken = remembered.GetProperty("deviceToken").GetString()!;
        var session = remembered.GetProperty("accessToken").GetString()!;
        (await ListAsync(session)).Length.ShouldBe(1);
        var password = AccountClient.GoodPassword;

        switch (change)
        {
            case "sign-out-everywhere":
                (await _accounts.SendAsync(HttpMethod.Delete, "/api/sessions", session)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
                break;
            case "password-reset":
                password = await ResetPasswordAsync(account.Email);
                break;
            case "password-change":
                password = "a changed passphrase for remembering";
                (await _accounts.SendAsync(HttpMethod.Post, "/api/accounts/me/password", session,
                    new { currentPassword = AccountClient.GoodPassword, newPassword = password })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
                break;
            case "two-factor-off":
                (await _accounts.SendAsync(HttpMethod.Delete, "/api/mfa", session, new { code = account.RecoveryCodes[1] }))
                    .StatusCode.ShouldBe(HttpStatusCode.NoContent);
                break;
            default:
                var setup = await JsonOkAsync(await _accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp", session, new { currentCode = account.RecoveryCodes[1] }));
                var newApp = new Authenticator(setup.GetProperty("secret").GetString()!);
                // The next step: the account's current one went to the first enrolment (each step is accepted once per account).
                var code = newApp.CodeForStep(Authenticator.StepAt(DateTimeOffset.UtcNow) + 1);
                await JsonOkAsync(await _accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", session, new { code }));
                break;
        }

        // Second-factor changes reach account over the bus: a moment later.
        await PlatformFixture.EventuallyAsync("the remembered device is forgotten", async () => (await ListAsync(session)).Length == 0);
        if (change != "two-factor-off")
        {
            (await PasswordStepAsync(account.Email, deviceToken, password: password)).GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        }
    }

    private sealed record EnrolledAccount(string Email, Tokens Tokens, Authenticator App, string[] RecoveryCodes);

    private async Task<EnrolledAccount> CreateWithTotpAsync(string hint)
    {
        var (email, tokens) = await _accounts.CreateVerifiedAccountAsync(hint);
        var setup = await JsonOkAsync(await _accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp", tokens.AccessToken, new { }));
        var app = new Authenticator(setup.GetProperty("secret").GetString()!);
        var confirmed = await JsonOkAsync(await _accounts.SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", tokens.AccessToken, new { code = await app.NextCodeAsync() }));
        return new(email, tokens, app, [.. confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!)]);
    }

    private Task<HttpResponseMessage> SignInAsync(string email, string? deviceToken, bool requireSecondFactor = false, string password = AccountClient.GoodPassword) =>
        platform.Gateway.PostAsJsonAsync("/api/sessions", new { email, password, deviceToken, requireSecondFactor });

    private async Task<JsonElement> PasswordStepAsync(string email, string? deviceToken, bool requireSecondFactor = false,
        string password = AccountClient.GoodPassword) =>
        await JsonOkAsync(await SignInAsync(email, deviceToken, requireSecondFactor, password));

    private async Task<JsonElement> SecondStepAsync(JsonElement passwordStep, string method, string code, bool remember) =>
        await JsonOkAsync(await platform.Gateway.PostAsJsonAsync("/api/sessions/mfa",
            new { mfaToken = passwordStep.GetProperty("mfaToken").GetString(), method, code, rememberDevice = remember }));

    private async Task<JsonElement[]> ListAsync(string accessToken) =>
        [.. (await JsonOkAsync(await _accounts.SendAsync(HttpMethod.Get, DevicesPath, accessToken))).EnumerateArray()];

    private async Task<string> ResetPasswordAsync(string email)
    {
        (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var message = await platform.Mailbox.WaitForAsync(email, "Reset your AuthPlatform password");
        var link = new Uri(message.LinkStartingWith(platform.Fleet.PublicBaseUrl + "/reset-password?token="));
        var token = Uri.UnescapeDataString(link.Query["?token=".Length..]);
        const string newPassword = "a reset passphrase for remembering";
        (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token, newPassword })).StatusCode.ShouldBe(HttpStatusCode.OK);
        return newPassword;
    }

    private static async Task<JsonElement> JsonOkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static string[] Amr(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return [.. json.RootElement.GetProperty("amr").EnumerateArray().Select(m => m.GetString()!)];
    }
}
