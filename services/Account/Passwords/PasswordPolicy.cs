using System.Reflection;

namespace AuthPlatform.Account.Passwords;

/// <summary>
/// ASVS 2.1.1 / NIST 800-63B: 12–128 characters (counted after NFKC normalisation, as they are hashed), no
/// composition rules, not a commonly used password.
/// </summary>
public sealed class PasswordPolicy
{
    public const int MinLength = PasswordLength.Min;
    public const int MaxLength = PasswordLength.Max;

    private readonly HashSet<string> _common;

    public PasswordPolicy()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AuthPlatform.Account.Resources.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded.");
        using var reader = new StreamReader(stream);
        _common = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                _common.Add(line);
            }
        }
    }

    public int CommonPasswordCount => _common.Count;

    /// <summary>Null when acceptable, else the reason (safe to show the user).</summary>
    public string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "A password is required.";
        }
        password = PasswordHasher.Normalize(password);
        // Length in characters as people count them (a surrogate pair is one).
        var length = new System.Globalization.StringInfo(password).LengthInTextElements;
        if (length < MinLength)
        {
            return $"The password must have at least {MinLength} characters.";
        }
        if (password.Length > MaxLength * 2 || length > MaxLength)
        {
            return $"The password must have at most {MaxLength} characters.";
        }
        if (password.Any(char.IsControl))
        {
            return "The password must not contain control characters.";
        }
        if (_common.Contains(password))
        {
            return "This password is too common; choose one that is harder to guess.";
        }
        return null;
    }
}
