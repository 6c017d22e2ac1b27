using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OtpNet;

namespace AuthPlatform.Cli.Tests;

/// <summary>A phone's authenticator app: the code of the current step, never reusing a step (the server refuses that).</summary>
public sealed class Phone(string base32Secret)
{
    private const int StepSeconds = 30;
    private readonly Totp _totp = new(Base32Encoding.ToBytes(base32Secret), StepSeconds, OtpHashMode.Sha1, 6);
    private long _lastStep = long.MinValue;

    /// <summary>The code for the earliest step after the last one used that the server still accepts (±1 step; waits if needed).</summary>
    public async Task<string> NextCodeAsync()
    {
        while (true)
        {
            var current = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / StepSeconds;
            var step = Math.Max(current, _lastStep + 1);
            if (step <= current + 1)
            {
                _lastStep = step;
                return _totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * StepSeconds).UtcDateTime);
            }
            await Task.Delay(500);
        }
    }
}

/// <summary>Accounts set up through the public HTTP API, as a person would before using the CLI.</summary>
public sealed class People(PlatformFixture platform)
{
    public AccountClient Accounts { get; } = new(platform);

    public sealed record WithTotp(string Email, Tokens Tokens, Phone Phone, string[] RecoveryCodes);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accessToken, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await platform.Gateway.SendAsync(request);
    }

    /// <summary>A verified account with authenticator-app 2FA on: POST /api/mfa/totp, then confirm with a code.</summary>
    public async Task<WithTotp> CreateAccountWithTotpAsync(string hint)
    {
        var (email, tokens) = await Accounts.CreateVerifiedAccountAsync(hint);
        using var start = await SendAsync(HttpMethod.Post, "/api/mfa/totp", tokens.AccessToken, new { });
        start.StatusCode.ShouldBe(HttpStatusCode.OK, await start.Content.ReadAsStringAsync());
        var phone = new Phone((await AccountClient.JsonAsync(start)).GetProperty("secret").GetString()!);
        using var confirm = await SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", tokens.AccessToken, new { code = await phone.NextCodeAsync() });
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK, await confirm.Content.ReadAsStringAsync());
        var codes = (await AccountClient.JsonAsync(confirm)).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return new WithTotp(email, tokens, phone, codes);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await AccountClient.JsonAsync(response);
}
