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

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? SpentAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
