using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace AuthPlatform.Account.Tests;

public sealed class TokenTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task A_verification_token_works_once_and_unknown_used_or_expired_tokens_get_one_and_the_same_400()
    {
        var email = PlatformFixture.NewEmail("single-use");
        (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var token = TokenFrom(await platform.Mailbox.WaitForAsync(email, "Verify your email"));

        using var first = await Confirm(token);
        using var second = await Confirm(token);
        using var unknown = await Confirm(OpaqueToken.New());

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var used = await AccountClient.JsonAsync(second);
        var never = await AccountClient.JsonAsync(unknown);
        foreach (var field in new[] { "type", "title", "detail" })
        {
            used.GetProperty(field).GetString().ShouldBe(never.GetProperty(field).GetString(), field);
        }
    }

    [Fact]
    public async Task A_verification_token_lives_24_hours_and_is_refused_once_expired()
    {
        var email = PlatformFixture.NewEmail("expiry");
        (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var token = TokenFrom(await platform.Mailbox.WaitForAsync(email, "Verify your email"));

        // Redis keeps only the token's hash, with the purpose's lifetime as TTL.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(platform.Servers.Redis.ConnectionString);
        var key = $"verification:token:email-verify:{OpaqueToken.Hash(token)}";
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        ttl.ShouldNotBeNull();
        ttl.Value.ShouldBeInRange(TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        (await redis.GetDatabase().StringGetAsync(key)).ToString().ShouldNotContain(token);

        // Let the 24 hours pass: Redis expires the key exactly as it would after a day.
        await redis.GetDatabase().KeyExpireAsync(key, TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);

        using var late = await Confirm(token);
        late.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AccountClient.JsonAsync(late)).GetProperty("type").GetString()!.ShouldEndWith("invalid-token");
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_refresh_token_revokes_the_whole_family()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("rotation");

        using var rotated = await Refresh(tokens.RefreshToken);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var next = (await rotated.Content.ReadFromJsonAsync<Tokens>())!;
        next.RefreshToken.ShouldNotBe(tokens.RefreshToken);
        (await _accounts.GetProfileAsync(next.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The spent token comes back: theft. Both it and its successor stop working.
        using var replay = await Refresh(tokens.RefreshToken);
        replay.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var successor = await Refresh(next.RefreshToken);
        successor.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Concurrent_refreshes_with_one_token_yield_at_most_one_new_session()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Refresh(tokens.RefreshToken)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBeLessThanOrEqualTo(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized).ShouldBeGreaterThanOrEqualTo(9);
    }

    [Fact]
    public async Task Sign_out_revokes_the_refresh_token()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("sign-out");

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/sessions/current")
        {
            Content = JsonContent.Create(new { refreshToken = tokens.RefreshToken }),
        };
        using var signOut = await platform.Gateway.SendAsync(request);
        signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await Refresh(tokens.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Access_tokens_are_ES256_with_a_kid_that_the_JWKS_publishes()
    {
        var (email, tokens) = await _accounts.CreateVerifiedAccountAsync("jwks");
        var jwt = new JsonWebToken(tokens.AccessToken);
        jwt.Alg.ShouldBe("ES256");
        jwt.Kid.ShouldNotBeNullOrEmpty();
        jwt.GetClaim("email").Value.ShouldBe(email);
        jwt.GetPayloadValue<string[]>("amr").ShouldBe(["pwd"]);
        jwt.Typ.ShouldBe("at+jwt");
        jwt.Audiences.ShouldBe(["account", "mfa", "verification"]);
        Guid.TryParse(jwt.GetClaim("sid").Value, out _).ShouldBeTrue();
        DateTimeOffset.FromUnixTimeSeconds(jwt.GetPayloadValue<long>("auth_time")).ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddSeconds(5));
        (jwt.ValidTo - jwt.IssuedAt).ShouldBe(TimeSpan.FromMinutes(15));

        var jwks = new JsonWebKeySet(await platform.Gateway.GetStringAsync("/.well-known/jwks.json"));
        var key = jwks.Keys.Single(k => k.Kid == jwt.Kid);
        key.Kty.ShouldBe("EC");
        key.D.ShouldBeNull("the private part is never published");
        var valid = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.AccessToken, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(), ValidateAudience = false, ValidateIssuer = false,
        });
        valid.IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task The_signing_key_survives_a_restart_of_the_account_service()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("restart");
        var account = platform.Fleet.Replicas("account").Single();

        await platform.Fleet.StopInstanceAsync(account);
        await platform.Fleet.StartInstanceAsync("account", 0);

        await platform.Fleet.WaitUntilGatewayServesAsync("/.well-known/jwks.json", "the restarted account service", TimeSpan.FromSeconds(20));
        (await _accounts.GetProfileAsync(tokens.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var kid = new JsonWebToken(tokens.AccessToken).Kid;
        var fresh = await _accounts.SignInVerifiedAsync(new JsonWebToken(tokens.AccessToken).GetClaim("email").Value);
        new JsonWebToken(fresh.AccessToken).Kid.ShouldBe(kid);
    }

    [Fact]
    public async Task Tokens_signed_by_another_key_expired_or_unsigned_are_refused()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("forged");
        var genuine = new JsonWebToken(tokens.AccessToken);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = genuine.Subject,
            ["amr"] = new[] { "pwd" },
        };

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Sign(claims, new ECDsaSecurityKey(otherKey) { KeyId = genuine.Kid }, genuine, TimeSpan.FromMinutes(10));
        var expired = Sign(claims, new ECDsaSecurityKey(otherKey) { KeyId = genuine.Kid }, genuine, TimeSpan.FromMinutes(-5));
        var unsigned = Base64Url("""{"alg":"none","typ":"JWT"}""") + "." + Base64Url(
            $$"""{"sub":"{{genuine.Subject}}","iss":"{{genuine.Issuer}}","aud":["account","mfa","verification"],"exp":{{DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()}}}""") + ".";
        var tampered = string.Join('.', tokens.AccessToken.Split('.') is var parts
            ? [parts[0], Base64Url($$"""{"sub":"{{Guid.NewGuid()}}","iss":"{{genuine.Issuer}}","aud":["account","mfa","verification"],"exp":{{DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()}}}"""), parts[2]]
            : parts);

        foreach (var (what, token) in new[] { ("another key", forged), ("expired", expired), ("alg:none", unsigned), ("tampered payload", tampered) })
        {
            using var response = await _accounts.GetProfileAsync(token);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, what);
        }
        (await _accounts.GetProfileAsync(tokens.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("at+jwt", "mfa", true)]
    [InlineData("JWT", "mfa", false)]                 // an ID token or any other JWT
    [InlineData(null, "mfa", false)]
    [InlineData("at+jwt", "some-oidc-client", false)] // minted for another audience
    [InlineData("at+jwt", "account", false)]          // for account only: mfa refuses it
    public async Task Each_service_accepts_only_access_tokens_for_its_own_audience(string? type, string audience, bool accepted)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = new ECDsaSecurityKey(ecdsa) { KeyId = "k1" };
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = "https://id.example.test",
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString() },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
        var rules = Microsoft.Extensions.Hosting.AuthenticationExtensions.StrictTokenValidation("https://id.example.test", "mfa");
        rules.IssuerSigningKey = key;
        (await new JsonWebTokenHandler().ValidateTokenAsync(token, rules)).IsValid.ShouldBe(accepted);
    }

    private static string Sign(Dictionary<string, object> claims, SecurityKey key, JsonWebToken like, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = like.Issuer,
            Audience = "account",
            IssuedAt = now.AddMinutes(-20),
            NotBefore = now.AddMinutes(-20),
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    private string TokenFrom(ReceivedEmail email) =>
        Uri.UnescapeDataString(new Uri(email.LinkStartingWith(platform.Fleet.PublicBaseUrl + "/verify-email?token=")).Query["?token=".Length..]);

    private Task<HttpResponseMessage> Confirm(string token) =>
        platform.Gateway.PostAsJsonAsync("/api/verification/email/confirm", new { token });

    private Task<HttpResponseMessage> Refresh(string refreshToken) =>
        platform.Gateway.PostAsJsonAsync("/api/sessions/refresh", new { refreshToken });
}
