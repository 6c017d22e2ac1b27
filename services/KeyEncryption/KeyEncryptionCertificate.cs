using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AuthPlatform.KeyEncryption;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthPlatform.KeyEncryption
{
    /// <summary>
    /// Encrypts key material under the key-encryption certificate before it is stored: a fresh AES-256-GCM key per
    /// secret, wrapped with RSA-OAEP-SHA256. The blob names the certificate (SHA-256 thumbprint), so a service given
    /// a different certificate says so instead of failing obscurely.
    /// </summary>
    public sealed class KeyEncryptionCertificate(X509Certificate2 certificate) : IDisposable
    {
        private const byte FormatVersion = 1;
        private const int ThumbprintLength = 32, NonceLength = 12, TagLength = 16;

        public X509Certificate2 Certificate { get; } = certificate;

        public string Thumbprint { get; } = certificate.GetCertHashString(HashAlgorithmName.SHA256);

        /// <summary>Loads the PFX; throws <see cref="InvalidOperationException"/> saying what is wrong with it.</summary>
        public static KeyEncryptionCertificate Load(KeyEncryptionOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.CertificatePath))
            {
                throw new InvalidOperationException(
                    $"{KeyEncryptionOptions.Section}:CertificatePath is not set. Keys kept in the database are encrypted under this "
                    + "certificate (a PFX with an RSA private key; ./run.sh generates one under .data/keys), and no service that "
                    + "keeps keys starts without it.");
            }
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword,
                    X509KeyStorageFlags.EphemeralKeySet);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"{KeyEncryptionOptions.Section}:CertificatePath '{options.CertificatePath}' cannot be opened as a PFX with "
                    + $"{KeyEncryptionOptions.Section}:CertificatePassword: {ex.Message}", ex);
            }
            using var rsa = certificate.GetRSAPrivateKey();
            if (rsa is null || rsa.KeySize < 2048)
            {
                certificate.Dispose();
                throw new InvalidOperationException(
                    $"{KeyEncryptionOptions.Section}:CertificatePath '{options.CertificatePath}' holds no RSA private key of at least 2048 bits.");
            }
            return new KeyEncryptionCertificate(certificate);
        }

        /// <summary>Encrypts <paramref name="secret"/>; <paramref name="purpose"/> binds it to its row (e.g. the key id).</summary>
        public byte[] Encrypt(ReadOnlySpan<byte> secret, string purpose)
        {
            Span<byte> contentKey = stackalloc byte[32];
            RandomNumberGenerator.Fill(contentKey);
            using var rsa = Certificate.GetRSAPublicKey()!;
            var wrappedKey = rsa.Encrypt(contentKey.ToArray(), RSAEncryptionPadding.OaepSHA256);
            var header = 1 + ThumbprintLength + 2 + wrappedKey.Length;
            var blob = new byte[header + NonceLength + TagLength + secret.Length];
            blob[0] = FormatVersion;
            Convert.FromHexString(Thumbprint).CopyTo(blob, 1);
            BinaryPrimitives.WriteUInt16BigEndian(blob.AsSpan(1 + ThumbprintLength), (ushort)wrappedKey.Length);
            wrappedKey.CopyTo(blob, 1 + ThumbprintLength + 2);
            var nonce = blob.AsSpan(header, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(contentKey, TagLength);
            aes.Encrypt(nonce, secret, blob.AsSpan(header + NonceLength + TagLength), blob.AsSpan(header + NonceLength, TagLength),
                Encoding.UTF8.GetBytes(purpose));
            CryptographicOperations.ZeroMemory(contentKey);
            return blob;
        }

        /// <summary>True when <paramref name="blob"/> is in the format <see cref="Encrypt"/> writes.</summary>
        public static bool IsEncrypted(ReadOnlySpan<byte> blob) => blob.Length > 1 + ThumbprintLength + 2 && blob[0] == FormatVersion;

        /// <exception cref="KeyEncryptionException">Encrypted under another certificate, or altered.</exception>
        public byte[] Decrypt(byte[] blob, string purpose)
        {
            if (!IsEncrypted(blob))
            {
                throw new KeyEncryptionException($"The stored key for '{purpose}' is not in the encrypted format.");
            }
            var thumbprint = Convert.ToHexString(blob, 1, ThumbprintLength);
            if (!string.Equals(thumbprint, Thumbprint, StringComparison.OrdinalIgnoreCase))
            {
                throw new KeyEncryptionException(
                    $"The stored key for '{purpose}' is encrypted under the key-encryption certificate SHA-256 {thumbprint}, but "
                    + $"{KeyEncryptionOptions.Section}:CertificatePath gives {Thumbprint}. Configure the certificate the keys were made with.");
            }
            try
            {
                var wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(blob.AsSpan(1 + ThumbprintLength));
                var header = 1 + ThumbprintLength + 2 + wrappedLength;
                using var rsa = Certificate.GetRSAPrivateKey()!;
                var contentKey = rsa.Decrypt(blob.AsSpan(1 + ThumbprintLength + 2, wrappedLength).ToArray(), RSAEncryptionPadding.OaepSHA256);
                var secret = new byte[blob.Length - header - NonceLength - TagLength];
                using var aes = new AesGcm(contentKey, TagLength);
                aes.Decrypt(blob.AsSpan(header, NonceLength), blob.AsSpan(header + NonceLength + TagLength),
                    blob.AsSpan(header + NonceLength, TagLength), secret, Encoding.UTF8.GetBytes(purpose));
                CryptographicOperations.ZeroMemory(contentKey);
                return secret;
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                throw new KeyEncryptionException($"The stored key for '{purpose}' does not decrypt: it was altered or moved to another row.", ex);
            }
        }

        public void Dispose() => Certificate.Dispose();
    }

    /// <summary>A stored key cannot be decrypted with the configured key-encryption certificate.</summary>
    public sealed class KeyEncryptionException(string message, Exception? inner = null) : Exception(message, inner);
}

namespace Microsoft.Extensions.Hosting
{
    public static class KeyEncryptionExtensions
    {
        /// <summary>
        /// The key-encryption certificate from <c>KeyEncryption:CertificatePath</c>/<c>CertificatePassword</c>, checked at
        /// start: a service that keeps keys refuses to start without a usable one, in every environment.
        /// </summary>
        public static IHostApplicationBuilder AddKeyEncryption(this IHostApplicationBuilder builder)
        {
            builder.Services.AddOptions<KeyEncryptionOptions>()
                .BindConfiguration(KeyEncryptionOptions.Section)
                .Validate(options =>
                {
                    using var certificate = KeyEncryptionCertificate.Load(options); // throws with the reason
                    return true;
                })
                .ValidateOnStart();
            builder.Services.AddSingleton(services =>
                KeyEncryptionCertificate.Load(services.GetRequiredService<IOptions<KeyEncryptionOptions>>().Value));
            return builder;
        }

        /// <summary>
        /// Data Protection's key ring encrypted under the key-encryption certificate (<c>ProtectKeysWithCertificate</c>,
        /// which also decrypts with it). The certificate is needed while the host is built, so a missing or unusable one
        /// stops the service right there, with the reason.
        /// </summary>
        public static IDataProtectionBuilder ProtectKeysWithKeyEncryptionCertificate(this IDataProtectionBuilder builder, IConfiguration configuration)
        {
            if (EF.IsDesignTime)
            {
                return builder; // dotnet ef builds the host only to find the DbContext
            }
            var key = KeyEncryptionCertificate.Load(configuration.GetSection(KeyEncryptionOptions.Section).Get<KeyEncryptionOptions>() ?? new());
            return builder.ProtectKeysWithCertificate(key.Certificate);
        }
    }
}
