namespace AuthPlatform.Account.Model;

/// <summary>
/// A device whose owner ticked "Remember this device" after a second factor: a password sign-in from it skips the
/// second factor until <see cref="ExpiresAt"/>. The device's token (see Throttling.KnownDevices) carries its id and a
/// secret; only the secret's SHA-256 is kept here.
/// </summary>
public sealed class RememberedDevice
{
    /// <summary>The id inside the device token.</summary>
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>SHA-256 (hex) of the 256-bit secret in the device token.</summary>
    public required string SecretHash { get; set; }

    /// <summary>What the owner sees in the list ("Chrome on Linux"), from the User-Agent of the sign-in.</summary>
    public required string Name { get; set; }

    /// <summary>When the account first signed in on the device (from its token).</summary>
    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset RememberedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
