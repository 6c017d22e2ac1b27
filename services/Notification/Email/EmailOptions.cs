namespace AuthPlatform.Notification.Email;

/// <summary>Settings under <c>Email:</c>.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>The From header of every email, e.g. <c>AuthPlatform &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "AuthPlatform <no-reply@authplatform.local>";

    /// <summary>
    /// At most one "someone tried to sign up with your email" per address in this interval: repeated sign-ups
    /// must not turn the platform into a mail bomb aimed at the owner.
    /// </summary>
    public TimeSpan SignUpAttemptCooldown { get; set; } = TimeSpan.FromSeconds(60);
}
