extern alias AccountService;
using System.Security.Cryptography;
using AccountService::AuthPlatform.Account.Model;
using AccountService::AuthPlatform.Account.Tokens;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Account.Tests;

/// <summary>Signing-key rotation (issue 11 item 8): the ring's timetable, driven by a fake clock.</summary>
public sealed class SigningKeyScheduleTests
{
    private static readonly SigningKeyOptions Options = new() { RotateAfter = TimeSpan.FromDays(30), PublishAhead = TimeSpan.FromHours(1) };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SigningKeySchedule _schedule = new(Options);
    private readonly List<SigningKey> _ring = [];
    private readonly Dictionary<string, ECDsa> _privateKeys = [];

    /// <summary>What SigningKeyRing does whenever it loads: create a key when one is due, drop spent keys.</summary>
    private void Maintain()
    {
        var now = _time.GetUtcNow();
        _ring.RemoveAll(k => SigningKeySchedule.IsSpentAt(k, now));
        if (_schedule.NeedsNewKeyAt(_ring, now))
        {
            var key = new SigningKey { Id = $"k{_privateKeys.Count}", PrivateKey = [] };
            _privateKeys[key.Id] = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            _schedule.Rotate(_ring, key, now);
            _ring.Add(key);
        }
    }

    private string Signer() => _schedule.SignerAt(_ring, _time.GetUtcNow())!.Id;

    private string[] Jwks() => [.. _ring.Where(k => SigningKeySchedule.IsPublishedAt(k, _time.GetUtcNow())).Select(k => k.Id)];

    private string Sign() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_privateKeys[Signer()]) { KeyId = Signer() }, SecurityAlgorithms.EcdsaSha256),
        Claims = new Dictionary<string, object> { ["sub"] = "someone" },
        Expires = _time.GetUtcNow().UtcDateTime + AccessTokenIssuer.Lifetime,
        IssuedAt = _time.GetUtcNow().UtcDateTime,
        NotBefore = _time.GetUtcNow().UtcDateTime,
    });

    /// <summary>Validates against the JWKS as published now (signature only: the fake clock decides expiry, asserted separately).</summary>
    private async Task<bool> ValidatesAsync(string token) => (await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
    {
        IssuerSigningKeys = Jwks().Select(id => new ECDsaSecurityKey(ECDsa.Create(_privateKeys[id].ExportParameters(false))) { KeyId = id }),
        ValidateAudience = false,
        ValidateIssuer = false,
        ValidateLifetime = false,
    })).IsValid;

    private void Advance(TimeSpan by)
    {
        // The ring reloads at least every 5 minutes; step like that so no maintenance is skipped.
        for (var step = TimeSpan.Zero; step < by; step += SigningKeyRing.CacheFor)
        {
            _time.Advance(by - step < SigningKeyRing.CacheFor ? by - step : SigningKeyRing.CacheFor);
            Maintain();
        }
    }

    [Fact]
    public void The_first_key_signs_at_once_and_is_the_only_key_published()
    {
        Maintain();
        Signer().ShouldBe("k0");
        Jwks().ShouldBe(["k0"]);
    }

    [Fact]
    public async Task The_next_key_is_published_before_any_token_carries_its_kid_and_the_old_one_stays_until_its_tokens_expired()
    {
        Maintain();
        Advance(Options.RotateAfter - TimeSpan.FromMinutes(1));
        Jwks().ShouldBe(["k0"], "no successor before RotateAfter");

        Advance(TimeSpan.FromMinutes(5));
        var published = _time.GetUtcNow();
        Jwks().ShouldBe(["k0", "k1"], ignoreOrder: true);
        Signer().ShouldBe("k0", "the successor is published, not yet used");

        // Up to the hand-over, every token still carries the old kid.
        Advance(Options.PublishAhead - TimeSpan.FromMinutes(1));
        Signer().ShouldBe("k0");
        var lastOldToken = Sign();
        var lastOldTokenExpires = _time.GetUtcNow() + AccessTokenIssuer.Lifetime;

        Advance(TimeSpan.FromMinutes(5));
        Signer().ShouldBe("k1");
        (_time.GetUtcNow() - published).ShouldBeGreaterThanOrEqualTo(Options.PublishAhead, "k1 was in the JWKS for PublishAhead before it signed");
        var newToken = Sign();
        new JsonWebToken(newToken).Kid.ShouldBe("k1");

        // After the rotation the old key's last token is still accepted, until it expires.
        Advance(AccessTokenIssuer.Lifetime - TimeSpan.FromMinutes(6));
        _time.GetUtcNow().ShouldBeLessThan(lastOldTokenExpires);
        (await ValidatesAsync(lastOldToken)).ShouldBeTrue();
        (await ValidatesAsync(newToken)).ShouldBeTrue();

        // Once that token has expired (and the validators' clock skew passed), the old key leaves the JWKS and the ring.
        Advance(TimeSpan.FromMinutes(10));
        _time.GetUtcNow().ShouldBeGreaterThan(lastOldTokenExpires + TimeSpan.FromSeconds(30));
        Jwks().ShouldBe(["k1"]);
        _ring.Select(k => k.Id).ShouldBe(["k1"], "the spent private key is deleted");
        (await ValidatesAsync(lastOldToken)).ShouldBeFalse();
        (await ValidatesAsync(newToken)).ShouldBeTrue();
    }

    [Fact]
    public void Rotation_repeats_and_never_publishes_more_than_two_keys()
    {
        Maintain();
        var signers = new HashSet<string>();
        for (var day = 0; day < 100; day++)
        {
            Advance(TimeSpan.FromDays(1));
            signers.Add(Signer());
            Jwks().Length.ShouldBeInRange(1, 2);
            Jwks().ShouldContain(Signer());
        }
        signers.Count.ShouldBe(4, "a new key every 30 days over 100 days");
    }

    [Theory]
    [InlineData("00:04:00", "30.00:00:00")]
    [InlineData("01:00:00", "00:30:00")]
    public void Settings_that_would_sign_with_an_unpublished_key_are_refused(string publishAhead, string rotateAfter) =>
        new SigningKeyOptions { PublishAhead = TimeSpan.Parse(publishAhead), RotateAfter = TimeSpan.Parse(rotateAfter) }.IsValid().ShouldBeFalse();
}
