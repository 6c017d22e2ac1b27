namespace AuthPlatform.Notification.Diagnostics;

/// <summary>
/// Phone numbers in logs are masked like email addresses (docs/security.md, Email and notifications): the country code and the last digits, enough
/// to tell deliveries apart and to spot a wrong country, not enough to dial anyone.
/// </summary>
public static class PhoneNumberMask
{
    private const string Hidden = "***";

    // ITU-T E.164 country codes are prefix-free: zones 1 and 7 are one digit, these are two, every other is three.
    private static readonly HashSet<string> TwoDigitCountryCodes =
    [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
        "86", "90", "91", "92", "93", "94", "95", "98",
    ];

    /// <summary>
    /// <c>+447700900123</c> → <c>+44******0123</c>; a short number keeps only its last two digits; anything that
    /// is not E.164 → <c>***</c>.
    /// </summary>
    public static string Mask(string? number)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            return Hidden;
        }
        var trimmed = number.Trim();
        // E.164: '+', a non-zero digit, at most 15 digits in all. Below 8 digits no real subscriber number remains.
        if (trimmed.Length is < 9 or > 16 || trimmed[0] != '+' || trimmed[1] == '0' || trimmed.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return Hidden;
        }
        var digits = trimmed[1..];
        var countryCodeLength = CountryCodeLength(digits);
        var national = digits.Length - countryCodeLength;
        var shown = national >= 8 ? 4 : 2;
        return "+" + digits[..countryCodeLength] + new string('*', national - shown) + digits[^shown..];
    }

    private static int CountryCodeLength(string digits) => digits[0] is '1' or '7'
        ? 1
        : TwoDigitCountryCodes.Contains(digits[..2]) ? 2 : 3;
}
