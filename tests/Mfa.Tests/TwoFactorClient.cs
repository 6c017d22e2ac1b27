using System.Net.Http.Headers;
using System.Text.Json;

namespace AuthPlatform.Mfa.Tests;

/// <summary>The 2FA steps a person takes through the gateway.</summary>
public sealed class TwoFactorClient(PlatformFixture platform)
{
    public AccountClient Accounts { get; } = new(platform);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accessToken, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await platform.Gateway.SendAsync(request);
    }

    public record Enrolled(string Email, Tokens Tokens, Authenticator Phone, string[] RecoveryCodes, JsonElement Setup);

    /// <summary>A verified account with authenticator-app 2FA turned on.</summary>
    public async Task<Enrolled> CreateAccountWithTotpAsync(string hint = "totp")
    {
        var (email, tokens) = await Accounts.CreateVerifiedAccountAsync(hint);
        using var start = await SendAsync(HttpMethod.Post, "/api/mfa/totp", tokens.AccessToken, new { });
        start.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await start.Content.ReadAsStringAsync());
        var setup = await AccountClient.JsonAsync(start);
        var phone = new Authenticator(setup.GetProperty("secret").GetString()!);
        using var confirm = await SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", tokens.AccessToken, new { code = await phone.NextCodeAsync() });
        confirm.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await confirm.Content.ReadAsStringAsync());
        var codes = (await AccountClient.JsonAsync(confirm)).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return new Enrolled(email, tokens, phone, codes, setup);
    }

    /// <summary>The password step; returns the mfaToken the second step needs.</summary>
    public async Task<string> PasswordStepAsync(string email, string password = AccountClient.GoodPassword)
    {
        using var response = await Accounts.SignInAsync(email, password);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var body = await AccountClient.JsonAsync(response);
        body.GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        body.TryGetProperty("accessToken", out _).ShouldBeFalse("no tokens before the second step");
        return body.GetProperty("mfaToken").GetString()!;
    }

    public Task<HttpResponseMessage> SecondStepAsync(string mfaToken, string method, string code) =>
        platform.Gateway.PostAsJsonAsync("/api/sessions/mfa", new { mfaToken, method, code });
}
