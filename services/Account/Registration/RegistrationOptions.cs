namespace AuthPlatform.Account.Registration;

public sealed class RegistrationOptions
{
    public const string Section = "Registration";

    /// <summary>How long a sign-up waits for its "Verify email" press before it is purged.</summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromHours(72);

    /// <summary>Live registrations kept per address; a newer sign-up replaces the oldest beyond this.</summary>
    public int MaxPendingPerAddress { get; set; } = 5;

    public bool IsValid() => PendingLifetime > TimeSpan.Zero && PendingLifetime <= TimeSpan.FromDays(30) && MaxPendingPerAddress is >= 1 and <= 100;
}
