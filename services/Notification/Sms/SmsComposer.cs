using AuthPlatform.Contracts;

namespace AuthPlatform.Notification.Sms;

/// <summary>
/// Renders the one-time-code text. Its last line is an origin-bound one-time code (WICG "Origin-bound one-time
/// codes delivered via SMS", which iOS/Safari and Android/Chrome implement): <c>@host #code</c>, so the phone
/// offers the code for autofill only on our own site, never on a phishing page.
/// </summary>
/// <remarks>
/// The format, as the specification's examples write it: the explanatory text, a blank line, then the last line
/// with the top-level host (no scheme, no port) and the code, each after its sigil and one space apart.
/// </remarks>
public sealed class SmsComposer
{
    private const string Product = "AuthPlatform";

    private readonly string _host;

    public SmsComposer(IConfiguration configuration)
    {
        _host = OriginHost(configuration["PublicBaseUrl"] ?? "http://localhost:8080");
    }

    /// <summary>The host the last line binds codes to: PublicBaseUrl's, lower case, without port.</summary>
    public string Host => _host;

    /// <exception cref="InvalidSmsValueException">The number is not E.164 or the code is not six digits.</exception>
    public string Compose(SendSmsCode request)
    {
        if (!IsE164(request.PhoneNumber))
        {
            throw new InvalidSmsValueException("The phone number is not in E.164 form.");
        }
        if (!IsSixDigits(request.Code))
        {
            throw new InvalidSmsValueException("The code is not six digits.");
        }
        // verification owns the code's lifetime and sends it along; a message from before it did says no duration.
        var expiry = request.Lifetime is { } lifetime ? $" It expires in {Duration(lifetime)}." : "";
        return $"{request.Code} is your {Product} code.{expiry}\n\n@{_host} #{request.Code}";
    }

    /// <summary>Whole minutes as minutes ("3 minutes"), anything else in seconds ("90 seconds").</summary>
    internal static string Duration(TimeSpan lifetime)
    {
        var seconds = Math.Max(1, (long)lifetime.TotalSeconds);
        return seconds % 60 == 0
            ? (seconds == 60 ? "1 minute" : $"{seconds / 60} minutes")
            : (seconds == 1 ? "1 second" : $"{seconds} seconds");
    }

    /// <summary><c>+</c>, a non-zero digit, 8 to 15 digits in all.</summary>
    public static bool IsE164(string? number) =>
        number is { Length: >= 9 and <= 16 } && number[0] == '+' && number[1] != '0'
        && !number.AsSpan(1).ContainsAnyExceptInRange('0', '9');

    private static bool IsSixDigits(string? code) =>
        code is { Length: 6 } && !code.AsSpan().ContainsAnyExceptInRange('0', '9');

    internal static string OriginHost(string publicBaseUrl)
    {
        if (!Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.IdnHost.Length == 0)
        {
            throw new InvalidOperationException("PublicBaseUrl must be an absolute http(s) URL, e.g. https://auth.example.com.");
        }
        // IdnHost: an internationalised domain in its ASCII (punycode) form, which the autofill parsers match.
        return uri.IdnHost.ToLowerInvariant();
    }
}
