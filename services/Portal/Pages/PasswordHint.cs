using AuthPlatform.Security;

namespace AuthPlatform.Portal.Pages;

/// <summary>The password policy as people read it next to a new-password field (the account service enforces it).</summary>
public static class PasswordHint
{
    public static readonly string Text =
        $"Use {PasswordLength.Min} to {PasswordLength.Max} characters. A few unrelated words make a strong passphrase; " +
        "you do not need symbols or numbers. Common passwords are refused.";
}
