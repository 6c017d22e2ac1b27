using System.Security.Cryptography;
using AuthPlatform.Internal;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthPlatform.Gateway.Tests;

/// <summary>Service tokens on their own: what is minted, and what a callee accepts (fake clock).</summary>
public sealed class InternalTokenTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));
    private readonly (string Private, string Public) _accountKey = NewKeyPair();

    private static (string Private, string Public) NewKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (Convert.ToBase64String(key.ExportPkcs8PrivateKey()), Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }

    private InternalTokens Account(TimeSpan? lifetime = null, TimeProvider? clock = null) =>
        new(new InternalAuthOptions { ServiceName = "account", SigningKey = _accountKey.Private, TokenLifetime = lifetime ?? TimeSpan.FromSeconds(60) },
            clock ?? _clock);

    private InternalTokens Mfa(params (string Name, string PublicKey)[] callers) =>
        new(new InternalAuthOptions { ServiceName = "mfa", Callers = callers.ToDictionary(c => c.Name, c => c.PublicKey) }, _clock);

    [Fact]
    public async Task A_token_names_caller_callee_account_and_client_address_and_lives_60_seconds()
    {
        var token = Account().Mint("mfa", "0195e0c4-0000-7000-8000-000000000001", "2001:db8::7");

        var jwt = new JsonWebToken(token);
        jwt.Alg.ShouldBe("ES256");
        jwt.Typ.ShouldBe(InternalTokens.TokenType);
        jwt.Issuer.ShouldBe("account");
        jwt.Audiences.ShouldBe(["mfa"]);
        (jwt.ValidTo - jwt.ValidFrom).ShouldBe(TimeSpan.FromSeconds(60));
        var identity = await Mfa(("account", _accountKey.Public)).ValidateAsync(token);
        identity.ShouldNotBeNull();
        identity.FindFirst("sub")!.Value.ShouldBe("0195e0c4-0000-7000-8000-000000000001");
        identity.FindFirst("client_addr")!.Value.ShouldBe("2001:db8::7");
    }

    [Fact]
    public async Task A_token_is_refused_after_its_minute_before_its_time_for_another_audience_or_from_an_unknown_key()
    {
        var mfa = Mfa(("account", _accountKey.Public));
        var token = Account().Mint("mfa");

        _clock.Advance(TimeSpan.FromSeconds(64));
        (await mfa.ValidateAsync(token)).ShouldNotBeNull("within the 5 s skew");
        _clock.Advance(TimeSpan.FromSeconds(2));
        (await mfa.ValidateAsync(token)).ShouldBeNull("expired");

        var early = Account(clock: new FakeTimeProvider(_clock.GetUtcNow().AddSeconds(30))).Mint("mfa");
        (await mfa.ValidateAsync(early)).ShouldBeNull("not yet valid (minted by a clock 30 s ahead)");

        (await mfa.ValidateAsync(Account().Mint("verification"))).ShouldBeNull("for another service");
        (await Mfa(("account", NewKeyPair().Public)).ValidateAsync(Account().Mint("mfa"))).ShouldBeNull("signed by a key the callee does not know");
        (await Mfa(("notification", _accountKey.Public)).ValidateAsync(Account().Mint("mfa"))).ShouldBeNull("issuer not among the callers");
        (await mfa.ValidateAsync(Account(TimeSpan.FromMinutes(2)).Mint("mfa"))).ShouldNotBeNull("two minutes is the most a callee accepts");
    }

    [Fact]
    public async Task A_tampered_or_unsigned_token_is_refused()
    {
        var mfa = Mfa(("account", _accountKey.Public));
        var token = Account().Mint("mfa", "0195e0c4-0000-7000-8000-000000000001");
        var parts = token.Split('.');
        var otherSubject = Account().Mint("mfa", "0195e0c4-0000-7000-8000-000000000002").Split('.')[1];

        (await mfa.ValidateAsync($"{parts[0]}.{otherSubject}.{parts[2]}")).ShouldBeNull("payload swapped");
        (await mfa.ValidateAsync($"{Base64Url("{\"alg\":\"none\",\"typ\":\"internal+jwt\"}")}.{parts[1]}.")).ShouldBeNull("alg none");
        (await mfa.ValidateAsync("garbage")).ShouldBeNull();
    }

    [Fact]
    public void A_caller_without_a_signing_key_cannot_mint_and_a_malformed_key_stops_the_service()
    {
        Should.Throw<InvalidOperationException>(() => Mfa().Mint("verification"));
        Should.Throw<InvalidOperationException>(() => Mfa(("account", "not a key")));
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
