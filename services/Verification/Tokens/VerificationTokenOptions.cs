namespace AuthPlatform.Verification.Tokens;

/// <summary>Link-token lifetimes and email cooldowns (<c>Verification__*</c>).</summary>
public sealed class VerificationTokenOptions
{
    public const string Section = "Verification";

    public TimeSpan EmailVerifyLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>At most one password-reset email per address in this interval, however often it is asked for.</summary>
    public TimeSpan PasswordResetCooldown { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsValid() => EmailVerifyLifetime > TimeSpan.Zero && PasswordResetLifetime > TimeSpan.Zero
        && ResendCooldown >= TimeSpan.Zero && PasswordResetCooldown >= TimeSpan.Zero;
}
