namespace AuthPlatform.Notification.Diagnostics;

/// <summary>
/// Email addresses in logs are masked (docs/security.md, Email and notifications): enough to tell deliveries apart and to spot a wrong domain,
/// not enough to build a list of our users from the logs.
/// </summary>
public static class EmailAddressMask
{
    private const string Hidden = "***";

    /// <summary><c>alice@example.com</c> → <c>a***@example.com</c>; anything that is not an address → <c>***</c>.</summary>
    public static string Mask(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return Hidden;
        }
        var trimmed = address.Trim();
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            return Hidden;
        }
        var domain = trimmed[(at + 1)..];
        // A domain with spaces, brackets or control characters is not a plain address (and could forge log lines).
        if (domain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"'))
        {
            return Hidden;
        }
        // Keep a whole first character even when it is a surrogate pair.
        var firstLength = char.IsHighSurrogate(trimmed[0]) && at > 1 ? 2 : 1;
        var first = trimmed[..firstLength];
        return first.Any(char.IsControl) || first is "<" or "\"" ? Hidden + "@" + domain : first + Hidden + "@" + domain;
    }
}
