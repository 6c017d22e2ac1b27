namespace AuthPlatform.Mfa.Totp;

public static class TotpCode
{
    public const int Digits = 6;

    /// <summary>
    /// The code as the replay check and the verifier must see it: spaces and dashes removed, then exactly six ASCII
    /// digits, or null. Normalising first is what stops "123 456" replaying "123456" (CVE-2025-6014).
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 32)
        {
            return null;
        }
        Span<char> digits = stackalloc char[Digits];
        var count = 0;
        foreach (var c in input)
        {
            if (c is ' ' or '-' or '\u00A0')
            {
                continue;
            }
            if (!char.IsAsciiDigit(c) || count == Digits)
            {
                return null;
            }
            digits[count++] = c;
        }
        return count == Digits ? new string(digits) : null;
    }
}
