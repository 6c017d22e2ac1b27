namespace AuthPlatform.Account.Tokens;

/// <summary>When the token-signing key is replaced (section "SigningKeys").</summary>
public sealed class SigningKeyOptions
{
    public const string SectionName = "SigningKeys";

    /// <summary>The age at which a key gets its successor.</summary>
    public TimeSpan RotateAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a successor sits in the JWKS before it signs, so every validator and every replica's key cache
    /// (refreshed at least every 5 minutes) knows it before the first token carries its kid.
    /// </summary>
    public TimeSpan PublishAhead { get; set; } = TimeSpan.FromHours(1);

    public bool IsValid() => PublishAhead >= SigningKeyRing.CacheFor && RotateAfter > PublishAhead;
}
