using AuthPlatform.Notification.Diagnostics;

namespace AuthPlatform.Notification.Tests;

public sealed class PhoneNumberMaskTests
{
    [Theory]
    [InlineData("+447700900123", "+44******0123")]
    [InlineData("+15005550006", "+1******0006")]
    [InlineData("+33612345678", "+33*****5678")]
    [InlineData("+353851234567", "+353*****4567")]
    [InlineData("+79161234567", "+7******4567")]
    [InlineData(" +4915123456789 ", "+49*******6789")]
    public void A_number_keeps_its_country_code_and_last_four_digits(string number, string masked)
    {
        PhoneNumberMask.Mask(number).ShouldBe(masked);
    }

    [Fact]
    public void A_short_number_keeps_only_its_last_two_digits()
    {
        PhoneNumberMask.Mask("+3521234567").ShouldBe("+352*****67");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("447700900123")]
    [InlineData("+0447700900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("+44770090012\nfake log line")]
    [InlineData("+1234567")]
    [InlineData("+1234567890123456")]
    [InlineData("alice@example.com")]
    public void Anything_that_is_not_e164_is_hidden_completely(string? number)
    {
        PhoneNumberMask.Mask(number).ShouldBe("***");
    }

    [Fact]
    public void The_mask_never_contains_the_subscriber_digits()
    {
        PhoneNumberMask.Mask("+447712345678").ShouldNotContain("771234");
    }
}
