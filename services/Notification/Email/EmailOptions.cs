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

    /// <summary>
    /// How long an SMTP connection may sit idle and still carry the next email; zero opens a connection per email.
    /// Keep it below the server's own idle timeout (RFC 5321 asks servers for at least 5 minutes).
    /// </summary>
    public TimeSpan SmtpConnectionIdleLimit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most SMTP connections kept open while idle (more may be open while emails are being sent).</summary>
    public int IdleSmtpConnections { get; set; } = 4;

    public bool KeepsSmtpConnections => SmtpConnectionIdleLimit > TimeSpan.Zero && IdleSmtpConnections > 0;

    public bool HasValidSmtpConnectionLimits =>
        SmtpConnectionIdleLimit >= TimeSpan.Zero && SmtpConnectionIdleLimit <= TimeSpan.FromMinutes(5)
        && IdleSmtpConnections is >= 0 and <= 32;
}
