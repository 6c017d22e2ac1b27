namespace AuthPlatform.Portal.Pages.SignIn;

/// <summary>A typed code as the API wants it: spaces and dashes people add are dropped; anything but 6 digits is refused here.</summary>
public static class OneTimeCode
{
    public const int Digits = 6;

    public static string? Normalize(string? code)
    {
        if (code is null || code.Length > 32)
        {
            return null;
        }
        var digits = new string([.. code.Where(c => c is not (' ' or '-' or '\u00a0'))]);
        return digits.Length == Digits && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}
