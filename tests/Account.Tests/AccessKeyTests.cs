using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OtpNet;

namespace AuthPlatform.Account.Tests;

public sealed class AccessKeyTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accessToken, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await platform.Gateway.SendAsync(request);
    }

    private async Task<JsonElement> CreateKeyAsync(string accessToken, string name = "ci")
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/access-keys", accessToken, new { name });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await AccountClient.JsonAsync(response);
    }

    private Task<HttpResponseMessage> TokenWithFormAsync(string clientId, string clientSecret, string grantType = "client_credentials") =>
        platform.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(
            [new("grant_type", grantType), new("client_id", clientId), new("client_secret", clientSecret)]));

    private async Task<HttpResponseMessage> TokenWithBasicAsync(string clientId, string clientSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));
        return await platform.Gateway.SendAsync(request);
    }

    [Fact]
    public async Task A_key_is_shown_once_and_both_client_authentication_forms_get_a_token_that_acts_as_the_owner()
    {
        var (email, tokens) = await _accounts.CreateVerifiedAccountAsync("keys");
        var key = await CreateKeyAsync(tokens.AccessToken, "laptop CLI");
        var keyId = key.GetProperty("accessKeyId").GetString()!;
        var secret = key.GetProperty("secret").GetString()!;
        keyId.ShouldStartWith("apk_");
        secret.ShouldStartWith("aps_");
        (secret.Length - 4).ShouldBeGreaterThanOrEqualTo(43, "at least 256 random bits");

        foreach (var response in new[] { await TokenWithFormAsync(keyId, secret), await TokenWithBasicAsync(keyId, secret) })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue();
            var body = await AccountClient.JsonAsync(response);
            body.GetProperty("token_type").GetString().ShouldBe("Bearer");
            body.GetProperty("expires_in").GetInt32().ShouldBeLessThanOrEqualTo(900);
            var accessToken = body.GetProperty("access_token").GetString()!;
            new JsonWebToken(accessToken).GetPayloadValue<string[]>("amr").ShouldBe(["key"]);
            using var me = await _accounts.GetProfileAsync(accessToken);
            (await AccountClient.JsonAsync(me)).GetProperty("email").GetString().ShouldBe(email);
        }

        using var list = await SendAsync(HttpMethod.Get, "/api/access-keys", tokens.AccessToken);
        var listed = await list.Content.ReadAsStringAsync();
        listed.ShouldContain(keyId);
        listed.ShouldContain("lastUsedAt");
        listed.ShouldNotContain(secret);
        listed.ShouldNotContain("secret");
        await platform.Mailbox.WaitForAsync(email, "new access key");
    }

    [Fact]
    public async Task Revoked_keys_wrong_secrets_and_unknown_keys_get_the_same_invalid_client()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("revoke");
        var key = await CreateKeyAsync(tokens.AccessToken);
        var keyId = key.GetProperty("accessKeyId").GetString()!;
        var secret = key.GetProperty("secret").GetString()!;

        using var wrongSecret = await TokenWithFormAsync(keyId, secret[..^2] + "xx");
        using var unknown = await TokenWithFormAsync("apk_AAAAAAAAAAAAAAAAAAAA", secret);
        (await SendAsync(HttpMethod.Delete, $"/api/access-keys/{key.GetProperty("id").GetString()}", tokens.AccessToken))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var revoked = await TokenWithBasicAsync(keyId, secret);

        foreach (var response in new[] { wrongSecret, unknown, revoked })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            var body = await response.Content.ReadAsStringAsync();
            body.ShouldBe("""{"error":"invalid_client"}""");
            body.ShouldNotContain(secret[4..12]);
        }
        var secretBody = secret.Substring(4);
        foreach (var log in platform.Fleet.Instances.Select(i => i.Process.LogPath))
        {
            using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            (await reader.ReadToEndAsync()).Contains(secretBody).ShouldBeFalse($"the secret leaked into {log}");
        }
    }

    [Fact]
    public async Task A_key_made_before_2FA_keeps_working_and_a_session_without_MFA_cannot_make_keys_once_2FA_is_on()
    {
        var (email, tokens) = await _accounts.CreateVerifiedAccountAsync("keys-2fa");
        var key = await CreateKeyAsync(tokens.AccessToken);

        // Turn on 2FA with an authenticator app.
        using var start = await SendAsync(HttpMethod.Post, "/api/mfa/totp", tokens.AccessToken, new { });
        var secret = Base32Encoding.ToBytes((await AccountClient.JsonAsync(start)).GetProperty("secret").GetString()!);
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        string Code(long s) => new Totp(secret).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(s * 30).UtcDateTime);
        (await SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", tokens.AccessToken, new { code = Code(step) }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // The old password-only session may not create keys now.
        using var refused = await SendAsync(HttpMethod.Post, "/api/access-keys", tokens.AccessToken, new { name = "sneaky" });
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The key from before still works, and its token cannot create keys either.
        using var keyToken = await TokenWithFormAsync(key.GetProperty("accessKeyId").GetString()!, key.GetProperty("secret").GetString()!);
        keyToken.StatusCode.ShouldBe(HttpStatusCode.OK);
        var keyAccessToken = (await AccountClient.JsonAsync(keyToken)).GetProperty("access_token").GetString()!;
        (await _accounts.GetProfileAsync(keyAccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Post, "/api/access-keys", keyAccessToken, new { name = "from key" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // A session that passed the second factor can.
        using var password = await _accounts.SignInAsync(email);
        var mfaToken = (await AccountClient.JsonAsync(password)).GetProperty("mfaToken").GetString()!;
        using var second = await platform.Gateway.PostAsJsonAsync("/api/sessions/mfa", new { mfaToken, method = "totp", code = Code(step + 1) });
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var mfaSession = (await second.Content.ReadFromJsonAsync<Tokens>())!;
        await CreateKeyAsync(mfaSession.AccessToken, "made with MFA");
    }

    [Fact]
    public async Task The_eleventh_active_key_is_refused()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("eleven");
        for (var i = 0; i < 10; i++)
        {
            await CreateKeyAsync(tokens.AccessToken, $"key {i}");
        }

        using var eleventh = await SendAsync(HttpMethod.Post, "/api/access-keys", tokens.AccessToken, new { name = "one too many" });

        eleventh.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await AccountClient.JsonAsync(eleventh)).GetProperty("type").GetString()!.ShouldEndWith("access-key-limit");
    }

    [Fact]
    public async Task Once_a_revoke_has_returned_no_concurrent_use_mints_a_token()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("revoke-race");
        var key = await CreateKeyAsync(tokens.AccessToken);
        var keyId = key.GetProperty("accessKeyId").GetString()!;
        var secret = key.GetProperty("secret").GetString()!;

        // Fewer uses than the per-key throttle allows (10 failures per 15 min), so a refusal can only be the revoke.
        var uses = Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await TokenWithFormAsync(keyId, secret);
            return (response.StatusCode, At: DateTimeOffset.UtcNow);
        }).ToList();
        await Task.Delay(20);
        using var revoke = await SendAsync(HttpMethod.Delete, $"/api/access-keys/{key.GetProperty("id").GetString()}", tokens.AccessToken);
        var revokedAt = DateTimeOffset.UtcNow;
        revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var results = await Task.WhenAll(uses);

        // Responses that started after the revoke returned are all refusals.
        using var after = await TokenWithFormAsync(keyId, secret);
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        results.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_password_reset_stops_the_accounts_keys()
    {
        var (email, tokens) = await _accounts.CreateVerifiedAccountAsync("reset-keys");
        var key = await CreateKeyAsync(tokens.AccessToken);
        await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email });
        var link = new Uri((await platform.Mailbox.WaitForAsync(email, "Reset your AuthPlatform password"))
            .LinkStartingWith(platform.Fleet.PublicBaseUrl + "/reset-password?token="));
        var token = Uri.UnescapeDataString(link.Query["?token=".Length..]);
        (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token, newPassword = "a completely new passphrase" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        using var response = await TokenWithFormAsync(key.GetProperty("accessKeyId").GetString()!, key.GetProperty("secret").GetString()!);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("", "invalid_request")]
    [InlineData("grant_type=password&username=a&password=b", "unsupported_grant_type")]
    [InlineData("grant_type=urn:example:unknown", "unsupported_grant_type")]
    // The OpenID Connect grants are OpenIddict's on the same endpoint: a code without client_id and code_verifier is
    // missing required parameters (RFC 6749 §4.1.3, RFC 7636 §4.5), a complete request from an unknown client is invalid_client.
    [InlineData("grant_type=authorization_code&code=x", "invalid_request")]
    [InlineData("grant_type=authorization_code&code=x&client_id=no-such-app&redirect_uri=https%3A%2F%2Fapp.example.test%2Fcb"
        + "&code_verifier=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv", "invalid_client")]
    [InlineData("grant_type=client_credentials", "invalid_client")]
    [InlineData("grant_type=client_credentials&client_id=apk_x", "invalid_client")]
    public async Task Token_requests_with_bad_input_get_OAuth_errors(string form, string error)
    {
        using var response = await platform.Gateway.PostAsync("/connect/token", new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));

        ((int)response.StatusCode).ShouldBeInRange(400, 401);
        (await AccountClient.JsonAsync(response)).GetProperty("error").GetString().ShouldBe(error);
    }

    [Theory]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic bm8tY29sb24=")]
    [InlineData("Bearer abc")]
    [InlineData("Basic ")]
    public async Task Malformed_Basic_headers_get_invalid_client(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await platform.Gateway.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountClient.JsonAsync(response)).GetProperty("error").GetString().ShouldBe("invalid_client");
    }

    [Fact]
    public async Task Oversized_empty_or_hostile_key_names_get_400()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("names");
        foreach (var name in new[] { new string('k', 101), "", "   ", "tab\there", new string('x', 10_000) })
        {
            using var response = await SendAsync(HttpMethod.Post, "/api/access-keys", tokens.AccessToken, new { name });
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, name.Length > 20 ? $"{name.Length} characters" : name);
        }
        using var noName = await SendAsync(HttpMethod.Post, "/api/access-keys", tokens.AccessToken, new { });
        noName.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
