using System.Text;
using AuthPlatform.Mfa.Totp;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace AuthPlatform.Mfa.Tests;

public sealed class TotpUnitTests
{
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    // RFC 6238 Appendix B, including T = 20000000000 (past 2038: the counter must be 64-bit).
    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void RFC_6238_appendix_B_vectors(long unixTime, string sha1, string sha256, string sha512)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixTime);
        TotpVerifier.Compute(Sha1Seed, at, OtpHashMode.Sha1, 8).ShouldBe(sha1);
        TotpVerifier.Compute(Sha256Seed, at, OtpHashMode.Sha256, 8).ShouldBe(sha256);
        TotpVerifier.Compute(Sha512Seed, at, OtpHashMode.Sha512, 8).ShouldBe(sha512);
    }

    [Fact]
    public void A_code_is_accepted_one_step_early_or_late_and_never_two()
    {
        var secret = KeyGeneration.GenerateRandomKey(20);
        var stepStart = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 / 30 * 30);
        var code = TotpVerifier.Compute(secret, stepStart, OtpHashMode.Sha1, 6);
        var step = TotpVerifier.StepAt(stepStart);
        // A fake clock per instant: the verifier sees exactly the time we give it.
        long? AcceptedAt(TimeSpan offset) => new TotpVerifier(new FakeTimeProvider(stepStart + offset)).MatchStep(secret, code);

        // Same step, first and last moment.
        AcceptedAt(TimeSpan.Zero).ShouldBe(step);
        AcceptedAt(TimeSpan.FromSeconds(29.999)).ShouldBe(step);
        // One step later (the phone was slow): still accepted, up to the last millisecond of the next step.
        AcceptedAt(TimeSpan.FromSeconds(59.999)).ShouldBe(step);
        // Two steps later: refused.
        AcceptedAt(TimeSpan.FromSeconds(60)).ShouldBeNull();
        // One step early (the phone was fast): accepted; two steps early: refused.
        AcceptedAt(TimeSpan.FromSeconds(-30)).ShouldBe(step);
        AcceptedAt(TimeSpan.FromMilliseconds(-30_001)).ShouldBeNull();
    }

    [Theory]
    [InlineData("123456", "123456")]
    [InlineData("123 456", "123456")]
    [InlineData(" 12 34 56 ", "123456")]
    [InlineData("123-456", "123456")]
    [InlineData("1234567", null)]
    [InlineData("12345", null)]
    [InlineData("12345a", null)]
    [InlineData("１２３４５６", null)] // full-width digits are not ASCII digits
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Codes_are_normalised_before_anything_else(string? input, string? expected) =>
        TotpCode.Normalize(input).ShouldBe(expected);

    [Fact]
    public void The_otpauth_URI_has_the_key_URI_format_that_authenticator_apps_accept()
    {
        var uri = Factors.TotpEnrollment.OtpauthUri("ada+test@example.com", "JBSWY3DPEHPK3PXP");
        uri.ShouldBe("otpauth://totp/AuthPlatform:ada%2Btest@example.com?secret=JBSWY3DPEHPK3PXP&issuer=AuthPlatform&algorithm=SHA1&digits=6&period=30");
    }
}
