namespace AuthPlatform.Notification.Email;

/// <summary>Settings under <c>Email:</c>.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>The From header of every email, e.g. <c>AuthPlatform &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "AuthPlatform <no-reply@authplatform.local>";
}
