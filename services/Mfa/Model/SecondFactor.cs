namespace AuthPlatform.Mfa.Model;

/// <summary>An account's confirmed second factor: two-factor authentication is on while this row exists.</summary>
public sealed class SecondFactor
{
    public Guid AccountId { get; set; }

    public required string Method { get; set; }

    /// <summary>The TOTP secret, encrypted with Data Protection; never stored in clear.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>The SMS factor's number, E.164.</summary>
    public string? PhoneNumber { get; set; }

    public DateTimeOffset EnabledAt { get; set; }
}

/// <summary>A setup started but not confirmed yet. The confirmed factor (if any) keeps working meanwhile.</summary>
public sealed class PendingFactor
{
    public Guid AccountId { get; set; }

    public required string Method { get; set; }

    public string? ProtectedSecret { get; set; }

    public string? PhoneNumber { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>One recovery code, stored only as its SHA-256; used at most once.</summary>
public sealed class RecoveryCode
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    public required string CodeHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>
/// The latest TOTP time step accepted for an account. Redis decides replays first; this durable copy keeps a spent
/// step spent when Redis comes back without its data (a restart without persistence, a failover to a fresh node).
/// </summary>
public sealed class TotpStepFloor
{
    public Guid AccountId { get; set; }

    public long LastStep { get; set; }
}
