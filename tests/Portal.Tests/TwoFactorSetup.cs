using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AuthPlatform.Portal.Tests;

/// <summary>An account with 2FA turned on through the JSON API (the portal's own enrolment pages are tested in their own classes).</summary>
public sealed record TwoFactorAccount(string Email, string Password, string[] RecoveryCodes, AuthenticatorApp? App, string? Phone);

public sealed class TwoFactorSetup(PortalPlatform platform)
{
    public AccountClient Accounts { get; } = new(platform);

    public async Task<TwoFactorAccount> WithAuthenticatorAppAsync(string hint)
    {
        var (email, tokens) = await Accounts.CreateVerifiedAccountAsync(hint);
        var (app, recoveryCodes) = await EnableAuthenticatorAppAsync(tokens.AccessToken);
        return new TwoFactorAccount(email, AccountClient.GoodPassword, recoveryCodes, app, null);
    }

    /// <summary>Turns an authenticator app on for the account an access token (of a recent sign-in) belongs to.</summary>
    public async Task<(AuthenticatorApp App, string[] RecoveryCodes)> EnableAuthenticatorAppAsync(string accessToken)
    {
        var setup = await SendAsync(HttpMethod.Post, "/api/mfa/totp", accessToken, new { });
        var app = await AuthenticatorApp.ScanAsync(setup.GetProperty("qrCodePng").GetString()!);
        var confirmed = await SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", accessToken, new { code = await app.NextCodeAsync() });
        return (app, RecoveryCodes(confirmed));
    }

    public async Task<TwoFactorAccount> WithSmsAsync(string hint)
    {
        var (email, tokens) = await Accounts.CreateVerifiedAccountAsync(hint);
        var phone = TestPhoneNumbers.NewMobile();
        await SendAsync(HttpMethod.Post, "/api/mfa/sms", tokens.AccessToken, new { phoneNumber = phone }, HttpStatusCode.Accepted);
        var text = await platform.Twilio.WaitForMessageAsync(phone);
        var confirmed = await SendAsync(HttpMethod.Post, "/api/mfa/sms/confirm", tokens.AccessToken, new { code = text.Code });
        return new TwoFactorAccount(email, AccountClient.GoodPassword, RecoveryCodes(confirmed), null, phone);
    }

    private static string[] RecoveryCodes(JsonElement confirmed) =>
        [.. confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(code => code.GetString()!)];

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string accessToken, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await platform.Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
