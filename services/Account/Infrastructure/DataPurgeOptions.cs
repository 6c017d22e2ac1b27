namespace AuthPlatform.Account.Infrastructure;

public sealed class DataPurgeOptions
{
    public const string Section = "DataPurge";

    /// <summary>How often expired registrations and dead refresh tokens are deleted.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Revoked refresh tokens are kept this long, for investigating a session that was ended.</summary>
    public TimeSpan KeepRevokedFor { get; set; } = TimeSpan.FromDays(1);

    public bool IsValid() => Interval >= TimeSpan.FromSeconds(1) && Interval <= TimeSpan.FromDays(1) && KeepRevokedFor >= TimeSpan.Zero;
}
