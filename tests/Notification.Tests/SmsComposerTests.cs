using AuthPlatform.Contracts;
using AuthPlatform.Notification.Sms;
using Microsoft.Extensions.Configuration;

namespace AuthPlatform.Notification.Tests;

public sealed class SmsComposerTests
{
    private const string Number = "+447700900123";

    [Fact]
    public void The_text_is_exactly_the_code_the_expiry_a_blank_line_and_the_origin_bound_line()
    {
        var text = Composer().Compose(new SendSmsCode(Number, "123456", "sign-in", Lifetime: TimeSpan.FromMinutes(3)));

        text.ShouldBe("123456 is your AuthPlatform code. It expires in 3 minutes.\n\n@localhost #123456");
    }

    [Theory]
    [InlineData("https://auth.example.com", "auth.example.com")]
    [InlineData("https://Auth.Example.COM:8443/some/path", "auth.example.com")]
    [InlineData("http://localhost:5000", "localhost")]
    [InlineData("https://bücher.example/", "xn--bcher-kva.example")]
    public void The_last_line_binds_the_code_to_the_host_of_PublicBaseUrl(string publicBaseUrl, string host)
    {
        var text = Composer(publicBaseUrl).Compose(new SendSmsCode(Number, "654321", "phone-enroll"));

        text.Split('\n')[^1].ShouldBe($"@{host} #654321");
    }

    [Fact]
    public void The_last_line_parses_as_the_wicg_format_says()
    {
        var text = Composer("https://auth.example.com").Compose(new SendSmsCode(Number, "000042", "sign-in"));

        // WICG "Origin-bound one-time codes delivered via SMS", §Parsing: the last line is "@" host, one space,
        // "#" code; nothing before the host; explanatory text only on the lines above.
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var last = lines[^1];
        last.ShouldStartWith("@");
        var parts = last.Split(' ');
        parts.Length.ShouldBe(2);
        parts[0].ShouldBe("@auth.example.com");
        parts[1].ShouldBe("#000042");
        lines[^2].ShouldBe("", "a blank line separates the explanatory text from the origin-bound line, as in the specification's examples");
        lines[0].ShouldStartWith("000042 is your AuthPlatform code.");
    }

    [Fact]
    public void The_text_is_the_same_for_every_purpose()
    {
        Composer().Compose(new SendSmsCode(Number, "123456", "sign-in"))
            .ShouldBe(Composer().Compose(new SendSmsCode(Number, "123456", "phone-enroll")));
    }

    [Fact]
    public void The_text_fits_one_gsm_segment()
    {
        var text = Composer("https://accounts.some-long-product-name.example.com").Compose(new SendSmsCode(Number, "123456", "sign-in"));

        text.Length.ShouldBeLessThanOrEqualTo(160);
        text.All(c => c is '\n' || (c >= ' ' && c <= '~')).ShouldBeTrue("plain ASCII keeps the GSM-7 encoding (160 characters a segment)");
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData("123 456")]
    [InlineData("")]
    [InlineData("١٢٣٤٥٦")]
    public void A_code_that_is_not_six_digits_is_refused_without_repeating_it(string code)
    {
        var ex = Should.Throw<InvalidSmsValueException>(() => Composer().Compose(new SendSmsCode(Number, code, "sign-in")));

        ex.ShouldBeAssignableTo<UndeliverableSmsException>();
        if (code.Length > 0)
        {
            ex.Message.ShouldNotContain(code);
        }
    }

    [Theory]
    [InlineData("07700900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("+0447700900123")]
    [InlineData("+1234567")]
    [InlineData("")]
    public void A_number_that_is_not_e164_is_refused_without_repeating_it(string number)
    {
        var ex = Should.Throw<InvalidSmsValueException>(() => Composer().Compose(new SendSmsCode(number, "123456", "sign-in")));

        if (number.Length > 0)
        {
            ex.Message.ShouldNotContain(number);
        }
    }

    [Theory]
    [InlineData("auth.example.com")]
    [InlineData("ftp://auth.example.com")]
    public void A_PublicBaseUrl_that_is_not_an_http_url_stops_the_worker(string publicBaseUrl)
    {
        Should.Throw<InvalidOperationException>(() => Composer(publicBaseUrl));
    }

    private static SmsComposer Composer(string? publicBaseUrl = null) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(publicBaseUrl is null ? [] : [new KeyValuePair<string, string?>("PublicBaseUrl", publicBaseUrl)])
            .Build());
}
