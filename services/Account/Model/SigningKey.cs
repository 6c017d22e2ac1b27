namespace AuthPlatform.Account.Model;

/// <summary>An ES256 key that signs access tokens; its public half is published in the JWKS.</summary>
public sealed class SigningKey
{
    /// <summary>The JWT "kid".</summary>
    public required string Id { get; set; }

    /// <summary>The PKCS#8 private key, encrypted under the key-encryption certificate (never stored in clear).</summary>
    public required byte[] PrivateKey { get; set; }

    /// <summary>When it was published; it signs from SigningKeys:PublishAhead later (the very first key at once).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When its successor takes over signing; it stays in the JWKS until its tokens expire, then is deleted.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
