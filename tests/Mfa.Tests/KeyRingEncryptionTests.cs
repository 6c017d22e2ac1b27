using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthPlatform.AppHost;
using AuthPlatform.Mfa.Factors;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AuthPlatform.Mfa.Tests;

/// <summary>Issue 11 item 8: a copy of mfadb alone must not open the TOTP secrets.</summary>
public sealed class KeyRingEncryptionTests(MfaPlatform platform)
{
    private readonly TwoFactorClient _client = new(platform);

    [Fact]
    public async Task A_stolen_mfadb_holds_the_Data_Protection_keys_only_encrypted_and_they_open_only_with_the_platform_certificate()
    {
        var account = await _client.CreateAccountWithTotpAsync("kek");
        var secret = OtpNet.Base32Encoding.ToBytes(account.Setup.GetProperty("secret").GetString()!);

        // The attacker's view: the rows as they are in the database.
        var keyRing = await ReadAsync("SELECT \"FriendlyName\", \"Xml\" FROM data_protection_keys");
        var protectedSecrets = (await ReadAsync("SELECT 'secret', \"ProtectedSecret\" FROM second_factors WHERE \"ProtectedSecret\" IS NOT NULL"))
            .Select(row => row.Value).ToList();
        keyRing.ShouldNotBeEmpty();
        foreach (var (_, xml) in keyRing)
        {
            xml.ShouldNotContain("<masterKey", Case.Insensitive, "the master key is never stored in clear");
            xml.ShouldContain("EncryptedData");
        }

        // Without the certificate, or with another one, the key ring opens nothing.
        var stranger = LocalKeyEncryption.Ensure(Path.Combine(Path.GetTempPath(), "authplatform-kek-" + Guid.NewGuid().ToString("N")[..8]), "stranger");
        foreach (var protectedSecret in protectedSecrets)
        {
            Should.Throw<CryptographicException>(() => SecretsOpenedWith(keyRing, stranger).Unprotect(protectedSecret));
        }

        // With the platform's certificate the same rows give the enrolled secret back (the honest path).
        var opened = SecretsOpenedWith(keyRing, platform.KeyEncryption);
        protectedSecrets.Select(opened.Unprotect).ShouldContain(s => s.SequenceEqual(secret));
        using var signIn = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", await account.Phone.NextCodeAsync());
        signIn.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    /// <summary>
    /// Both MFA replicas start together on an empty mfadb. The first key is made once, while they take turns on the
    /// migrations (before either is ready), so every secret either replica protects opens on the other. Left to first
    /// use, each replica made a key of its own and a setup started on one failed to confirm on the other (500).
    /// </summary>
    [Fact]
    public async Task Replicas_started_together_keep_one_key_ring_and_a_setup_started_on_either_confirms()
    {
        // Six setups at once, as ./bench.sh's set-up makes them: a setup and its confirmation may land on different
        // replicas (the gateway balances them), and the first ones reach both replicas together.
        var accounts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => _client.CreateAccountWithTotpAsync($"ring-{i}")));
        foreach (var account in accounts)
        {
            using var signIn = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", await account.Phone.NextCodeAsync());
            signIn.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        }
        var keys = await ReadAsync("SELECT \"FriendlyName\", \"Xml\" FROM data_protection_keys");
        keys.Count.ShouldBe(1, "two replicas that started together made one key, not one each");
    }

    /// <summary>Data Protection as the MFA service sets it up, over a copy of the stored key ring.</summary>
    private static TotpSecrets SecretsOpenedWith(IReadOnlyList<KeyValuePair<string, string>> keyRing, LocalKeyEncryption keyEncryption)
    {
        var directory = Directory.CreateTempSubdirectory("authplatform-keyring-");
        foreach (var (name, xml) in keyRing)
        {
            File.WriteAllText(Path.Combine(directory.FullName, $"{name}.xml"), xml);
        }
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(keyEncryption.CertificatePath, keyEncryption.CertificatePassword,
            X509KeyStorageFlags.EphemeralKeySet);
        var services = new ServiceCollection();
        services.AddDataProtection()
            .SetApplicationName("AuthPlatform.Mfa")
            .PersistKeysToFileSystem(directory)
            .ProtectKeysWithCertificate(certificate)
            .DisableAutomaticKeyGeneration();
        return new TotpSecrets(services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>());
    }

    private async Task<List<KeyValuePair<string, string>>> ReadAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.Servers.Postgres.ConnectionStringFor("mfadb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<KeyValuePair<string, string>>();
        while (await reader.ReadAsync())
        {
            rows.Add(new(reader.GetString(0), reader.GetString(1)));
        }
        return rows;
    }
}
