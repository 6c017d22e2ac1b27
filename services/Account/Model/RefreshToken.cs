namespace AuthPlatform.Account.Model;

/// <summary>
/// One link of a refresh-token chain. Every sign-in starts a family; every refresh spends the current token and
/// issues the next one in the family. Presenting a spent token again revokes the whole family (theft detection).
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    public Guid FamilyId { get; set; }

    /// <summary>SHA-256 of the token (hex); the token itself is never stored.</summary>
    public required string TokenHash { get; set; }

    /// <summary>Authentication methods of the sign-in that started the family (carried into new access tokens).</summary>
    public required string AuthenticationMethods { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the family's sign-in happened (the same on every link).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>The family's last password (and second-factor) proof: the sign-in, or a reauthentication since.</summary>
    public DateTimeOffset AuthenticatedAt { get; set; }

    /// <summary>This link's sliding expiry: idle lifetime from its issue, never past <see cref="FamilyExpiresAt"/>.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The absolute end of the family, however often it is refreshed.</summary>
    public DateTimeOffset FamilyExpiresAt { get; set; }

    public DateTimeOffset? SpentAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
