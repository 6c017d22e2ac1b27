using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using AuthPlatform.AppHost;
using AuthPlatform.Internal;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Gateway.Tests;

/// <summary>
/// The internal surface, attacked from the network: /internal is not on the public port at all, and on the internal
/// listener every call needs a service token from a caller admitted for that endpoint. What a token says (account,
/// client address) is what counts; a body cannot add to it.
/// </summary>
public sealed class InternalApiTests(GatewayPlatform platform)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private ServiceInstance Mfa => platform.Fleet.Replicas("mfa").First();

    private ServiceInstance Verification => platform.Fleet.Replicas("verification").Single();

    /// <summary>Tokens exactly as <paramref name="caller"/> mints them, with the key the launcher gave it.</summary>
    private InternalTokens TokensOf(string caller, TimeProvider? time = null) =>
        new(new InternalAuthOptions { ServiceName = caller, SigningKey = platform.Fleet.ServicePrivateKey(caller) }, time ?? TimeProvider.System);

    private static async Task<HttpResponseMessage> CallAsync(Uri baseAddress, HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Internal", token);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Internal_paths_do_not_exist_on_the_public_port_even_with_a_valid_token()
    {
        var token = TokensOf("account").Mint("mfa", Guid.NewGuid().ToString());

        using var mfa = await CallAsync(Mfa.BaseAddress, HttpMethod.Get, "/internal/mfa", token);
        using var sms = await CallAsync(Verification.BaseAddress, HttpMethod.Post, "/internal/sms-codes",
            TokensOf("mfa").Mint("verification", Guid.NewGuid().ToString()), new { purpose = "sign-in", phoneNumber = TestPhoneNumbers.NewMobile() });
        // Nor does a forged Host header naming the internal port open it.
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(Mfa.BaseAddress, "/internal/mfa"));
        forged.Headers.Host = $"127.0.0.1:{Mfa.InternalAddress!.Port}";
        forged.Headers.Authorization = new AuthenticationHeaderValue("Internal", token);
        using var hostForged = await Http.SendAsync(forged, TestContext.Current.CancellationToken);

        mfa.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        sms.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        hostForged.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        platform.Fleet.Replicas("gateway").ShouldAllBe(g => g.InternalAddress == null, "the gateway has no internal listener to route to");
    }

    [Fact]
    public async Task Without_a_service_token_or_with_a_bad_one_the_internal_listener_answers_401()
    {
        var account = Guid.NewGuid().ToString();
        var expired = TokensOf("account", new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-5))).Mint("mfa", account);
        var wrongAudience = TokensOf("account").Mint("verification", account);
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = new InternalTokens(new InternalAuthOptions
        {
            ServiceName = "account", // claims to be account, signed with a key of its own
            SigningKey = Convert.ToBase64String(strangerKey.ExportPkcs8PrivateKey()),
        }, TimeProvider.System).Mint("mfa", account);

        foreach (var (what, token) in new[]
        {
            ("no token", (string?)null), ("garbage", "not-a-jwt"), ("expired", expired), ("wrong audience", wrongAudience), ("unknown key", forged),
        })
        {
            using var response = await CallAsync(Mfa.InternalAddress!, HttpMethod.Get, "/internal/mfa", token);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, what);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", what);
        }

        // An access token of a user is no service token either.
        using var bearer = new HttpRequestMessage(HttpMethod.Get, new Uri(Mfa.InternalAddress!, "/internal/mfa"));
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", wrongAudience);
        using var withBearer = await Http.SendAsync(bearer, TestContext.Current.CancellationToken);
        withBearer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_known_service_not_admitted_for_an_endpoint_gets_403_and_the_admitted_one_gets_through()
    {
        // mfa may ask verification for SMS codes, but not spend email links; account the other way round.
        using var mfaRedeems = await CallAsync(Verification.InternalAddress!, HttpMethod.Post, "/internal/tokens/redeem",
            TokensOf("mfa").Mint("verification"), new { token = "x", purpose = "email-verify" });
        using var accountTexts = await CallAsync(Verification.InternalAddress!, HttpMethod.Post, "/internal/sms-codes",
            TokensOf("account").Mint("verification", Guid.NewGuid().ToString(), "198.51.100.1"), new { purpose = "sign-in", phoneNumber = TestPhoneNumbers.NewMobile() });
        using var honest = await CallAsync(Mfa.InternalAddress!, HttpMethod.Get, "/internal/mfa", TokensOf("account").Mint("mfa", Guid.NewGuid().ToString()));

        mfaRedeems.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        accountTexts.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        honest.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AccountClient.JsonAsync(honest)).GetProperty("enabled").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task The_client_address_comes_from_the_token_and_a_body_field_cannot_set_it()
    {
        var tokens = TokensOf("mfa");
        string Token(string clientAddress) => tokens.Mint("verification", Guid.NewGuid().ToString(), clientAddress);
        Task<HttpResponseMessage> TextAsync(string token, object body) =>
            CallAsync(Verification.InternalAddress!, HttpMethod.Post, "/internal/sms-codes", token, body);

        // The old way of choosing whose budget to spend is gone.
        using var withBodyAddress = await TextAsync(Token("203.0.113.9"),
            new { purpose = "sign-in", phoneNumber = TestPhoneNumbers.NewMobile(), clientAddress = "198.51.100.77" });
        withBodyAddress.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // The per-IP budget (10 an hour by default) is the token's address's.
        var address = $"203.0.113.{Random.Shared.Next(10, 250)}";
        for (var i = 0; i < 10; i++)
        {
            using var sent = await TextAsync(Token(address), new { purpose = "sign-in", phoneNumber = TestPhoneNumbers.NewMobile() });
            sent.StatusCode.ShouldBe(HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        }
        using var refused = await TextAsync(Token(address), new { purpose = "sign-in", phoneNumber = TestPhoneNumbers.NewMobile() });
        using var otherAddress = await TextAsync(Token("192.0.2.44"), new { purpose = "sign-in", phoneNumber = TestPhoneNumbers.NewMobile() });

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await AccountClient.JsonAsync(refused)).GetProperty("detail").GetString()!.ShouldContain("per-IP limit");
        otherAddress.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("+447000000000")] // UK personal numbering: not a mobile
    [InlineData("+19005550123")]  // US premium rate
    [InlineData("+33612345678")]  // a mobile, but outside the allowed regions
    public async Task Verification_applies_the_phone_policy_itself(string phoneNumber)
    {
        using var response = await CallAsync(Verification.InternalAddress!, HttpMethod.Post, "/internal/sms-codes",
            TokensOf("mfa").Mint("verification", Guid.NewGuid().ToString(), "192.0.2.45"), new { purpose = "phone-enroll", phoneNumber });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AccountClient.JsonAsync(response)).GetProperty("type").GetString()!.ShouldEndWith("phone-number-refused");
    }
}
