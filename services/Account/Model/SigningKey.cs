namespace AuthPlatform.Account.Model;

/// <summary>An ES256 key that signs access tokens; its public half is published in the JWKS.</summary>
public sealed class SigningKey
{
    /// <summary>The JWT "kid".</summary>
    public required string Id { get; set; }

    /// <summary>PKCS#8 private key.</summary>
    public required byte[] PrivateKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when a newer key takes over; a retired key stays in the JWKS until its tokens expire.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
