using System.Net;
using System.Security.Cryptography;
using AuthPlatform.AppHost;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;

namespace AuthPlatform.Account.Tests;

/// <summary>Issue 11 item 8: a copy of accountdb alone must not mint tokens.</summary>
public sealed class SigningKeyEncryptionTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task A_signing_key_row_read_straight_from_accountdb_is_no_usable_private_key()
    {
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("kek");
        var kid = new JsonWebToken(tokens.AccessToken).Kid;

        await using var connection = new NpgsqlConnection(platform.Servers.Postgres.ConnectionStringFor("accountdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"PrivateKey\" FROM signing_keys WHERE \"Id\" = @kid", connection);
        command.Parameters.AddWithValue("kid", kid);
        var stored = (byte[])(await command.ExecuteScalarAsync())!;

        // What the attacker would try with the row: read it as the PKCS#8 (or any DER) key it used to be.
        using var ecdsa = ECDsa.Create();
        Should.Throw<CryptographicException>(() => ecdsa.ImportPkcs8PrivateKey(stored, out _));
        Should.Throw<CryptographicException>(() => ecdsa.ImportECPrivateKey(stored, out _));
        stored[0].ShouldNotBe((byte)0x30, "no DER structure at all");

        // The honest path is unchanged: the token the key signed is accepted.
        (await _accounts.GetProfileAsync(tokens.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_account_service_given_another_certificate_refuses_to_start_and_says_why()
    {
        await _accounts.CreateVerifiedAccountAsync("kek-other"); // a key is stored
        var stranger = LocalKeyEncryption.Ensure(Path.Combine(Path.GetTempPath(), "authplatform-kek-" + Guid.NewGuid().ToString("N")[..8]), "stranger");

        var intruder = platform.Fleet.StartAdditional("account", stranger.Environment);
        await PlatformFixture.EventuallyAsync("the account service with the wrong certificate exits",
            () => Task.FromResult(intruder.Process.HasExited), TimeSpan.FromSeconds(90));
        intruder.Process.LogTail(60).ShouldContain("encrypted under the key-encryption certificate");

        // It added no key of its own: the platform still signs and validates as before.
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("kek-after");
        (await _accounts.GetProfileAsync(tokens.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Production_refuses_to_start_without_a_key_encryption_certificate()
    {
        var log = await platform.RefusedProductionStartAsync(new Dictionary<string, string?>
        {
            ["KeyEncryption__CertificatePath"] = "",
            ["KeyEncryption__CertificatePassword"] = "",
        });
        log.ShouldContain("KeyEncryption:CertificatePath is not set");
    }

    [Fact]
    public async Task Production_refuses_an_http_PublicBaseUrl()
    {
        var log = await platform.RefusedProductionStartAsync(new Dictionary<string, string?> { ["PublicBaseUrl"] = "http://auth.example.test" });
        log.ShouldContain("PublicBaseUrl must be an absolute https:// URL");
    }
}
