namespace AuthPlatform.Account.Administration;

/// <summary>
/// Who holds the administrator role ("Administrators" section): the accounts, by email address, that may manage the
/// platform's own settings through the API (today: OpenID Connect clients, `authplatform clients`). Configuration
/// rather than data, so that no API call can make someone an administrator.
/// </summary>
public sealed class AdministratorOptions
{
    public const string Section = "Administrators";

    public List<string> Emails { get; set; } = [];

    public bool IsValid() => Emails.All(email => email is { Length: > 2 and <= 254 } && email.Contains('@') && email.Trim() == email);
}
