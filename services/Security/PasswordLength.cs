namespace AuthPlatform.Security;

/// <summary>
/// How long a password may be (ASVS 2.1.1, counted in characters after NFKC normalisation): enforced by account's
/// PasswordPolicy, explained to people by the portal's sign-up and reset forms.
/// </summary>
public static class PasswordLength
{
    public const int Min = 12;
    public const int Max = 128;
}
