using System.Net.Mail;

namespace AuthPlatform.Security;

public static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>Trims, lower-cases the domain and validates; null when it is not a usable address.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > MaxLength + 64)
        {
            return null;
        }
        var email = input.Trim();
        var at = email.LastIndexOf('@');
        if (email.Length is 0 or > MaxLength || at <= 0 || at > 64 || at == email.Length - 1
            || email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || email.Count(c => c == '@') != 1)
        {
            return null;
        }
        var domain = email[(at + 1)..].ToLowerInvariant();
        // Domain literals (user@[10.0.0.5], user@[IPv6:::1]) and bare IP addresses would let an email (and its
        // link) be sent to any host, internal ones included, bypassing DNS and the mail provider's checks.
        if (IsAddressLiteral(domain))
        {
            return null;
        }
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains(".."))
        {
            return null;
        }
        var normalized = email[..at] + "@" + domain;
        return MailAddress.TryCreate(normalized, out var parsed) && parsed.Address == normalized ? normalized : null;
    }

    private static bool IsAddressLiteral(string domain) =>
        domain.IndexOfAny(['[', ']', ':']) >= 0 || System.Net.IPAddress.TryParse(domain, out _);

    public static string Key(string normalized) => normalized.ToLowerInvariant();
}
