namespace AuthPlatform.Security;

public sealed class RecentSignInOptions
{
    public const string Section = "RecentSignIn";

    /// <summary>How old a session's last password (and second-factor) proof may be for a sensitive change.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(10);

    public bool IsValid() => MaxAge > TimeSpan.Zero && MaxAge <= TimeSpan.FromHours(1);
}
