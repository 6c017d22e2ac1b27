using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthPlatform.AppHost;

/// <summary>
/// The key-encryption certificate of a local run: a self-signed RSA certificate in a PFX under the data folder,
/// made on first start and reused after, so the keys stored in the databases stay readable across restarts.
/// A deployment brings its own (KeyEncryption__CertificatePath / KeyEncryption__CertificatePassword).
/// </summary>
public sealed record LocalKeyEncryption(string CertificatePath, string CertificatePassword)
{
    /// <summary>What the services are given.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["KeyEncryption__CertificatePath"] = CertificatePath,
        ["KeyEncryption__CertificatePassword"] = CertificatePassword,
    };

    /// <summary>The certificate in <paramref name="directory"/>, created (with a random password beside it) if missing.</summary>
    public static LocalKeyEncryption Ensure(string directory, string name = "key-encryption")
    {
        Directory.CreateDirectory(directory);
        var pfx = Path.Combine(directory, name + ".pfx");
        var passwordFile = Path.Combine(directory, name + ".password");
        if (File.Exists(pfx) && File.Exists(passwordFile))
        {
            return new LocalKeyEncryption(pfx, File.ReadAllText(passwordFile).Trim());
        }
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest($"CN=AuthPlatform local key encryption ({name})", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        WriteOwnerOnly(passwordFile, System.Text.Encoding.UTF8.GetBytes(password));
        WriteOwnerOnly(pfx, certificate.Export(X509ContentType.Pfx, password));
        return new LocalKeyEncryption(pfx, password);
    }

    private static void WriteOwnerOnly(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var file = new FileStream(path, options);
        file.Write(content);
    }
}
