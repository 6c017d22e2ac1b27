namespace AuthPlatform.KeyEncryption;

/// <summary>
/// The key-encryption key: an RSA certificate with its private key (PFX), held outside the databases. Every key a
/// service keeps in its database (token-signing keys, the Data Protection key ring) is encrypted under it, so a
/// leaked backup alone opens nothing.
/// </summary>
public sealed class KeyEncryptionOptions
{
    public const string Section = "KeyEncryption";

    /// <summary>Path of the PFX file. Required: a service that keeps keys does not start without it.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX password (empty when the file has none).</summary>
    public string? CertificatePassword { get; set; }
}
