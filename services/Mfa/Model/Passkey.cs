namespace AuthPlatform.Mfa.Model;

/// <summary>A WebAuthn credential (passkey) of an account: its public key and what the authenticator said about it.</summary>
public sealed class Passkey
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>The authenticator's credential id (unique across the site).</summary>
    public required byte[] CredentialId { get; set; }

    /// <summary>The COSE public key; a passkey holds no secret here.</summary>
    public required byte[] PublicKey { get; set; }

    public uint SignCount { get; set; }

    /// <summary>WebAuthn transports ("internal", "hybrid", "usb", …), space-separated.</summary>
    public required string Transports { get; set; }

    public Guid Aaguid { get; set; }

    /// <summary>The passkey may be synced to other devices (BE flag): "synced" rather than "device-bound".</summary>
    public bool BackupEligible { get; set; }

    /// <summary>The passkey is synced right now (BS flag), as of its last use.</summary>
    public bool BackedUp { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
