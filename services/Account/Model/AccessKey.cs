namespace AuthPlatform.Account.Model;

/// <summary>A key id + secret pair that acts as its owner for API and CLI use (client credentials).</summary>
public sealed class AccessKey
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    public required string Name { get; set; }

    /// <summary>"apk_…": public, recognisable, what clients send as client_id.</summary>
    public required string AccessKeyId { get; set; }

    /// <summary>SHA-256 of the secret ("aps_…", 256 random bits); the secret itself is shown once and never stored.</summary>
    public required string SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
