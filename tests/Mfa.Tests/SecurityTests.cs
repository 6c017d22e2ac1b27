using System.Net;
using System.Text;
using Npgsql;

namespace AuthPlatform.Mfa.Tests;

public sealed class SecurityTests(MfaPlatform platform)
{
    private readonly TwoFactorClient _client = new(platform);

    [Fact]
    public async Task The_database_holds_neither_the_secret_nor_any_recovery_code_in_clear()
    {
        var account = await _client.CreateAccountWithTotpAsync("at-rest");
        var secret = account.Setup.GetProperty("secret").GetString()!;

        await using var connection = new NpgsqlConnection(platform.Servers.Postgres.ConnectionStringFor("mfadb"));
        await connection.OpenAsync();
        var dump = new StringBuilder();
        foreach (var table in new[] { "second_factors", "pending_factors", "recovery_codes" })
        {
            await using var command = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                dump.AppendLine(reader.GetString(0));
            }
        }
        var rows = dump.ToString();
        rows.ShouldNotBeEmpty();
        rows.ShouldNotContain(secret);
        rows.ShouldNotContain(Convert.ToBase64String(OtpNet.Base32Encoding.ToBytes(secret)));
        foreach (var code in account.RecoveryCodes)
        {
            rows.ShouldNotContain(code);
            rows.ShouldNotContain(code.Replace("-", ""));
        }
    }

    [Fact]
    public async Task The_second_step_answers_503_while_Redis_is_down_and_never_accepts()
    {
        var account = await _client.CreateAccountWithTotpAsync("fail-closed");
        var mfaToken = await _client.PasswordStepAsync(account.Email);

        await platform.Servers.Redis.StopAsync();
        try
        {
            using var response = await _client.SecondStepAsync(mfaToken, "totp", await account.Phone.NextCodeAsync());
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await platform.Servers.Redis.StartAsync();
        }
    }

    [Theory]
    [InlineData("totp", "1234567", HttpStatusCode.BadRequest)]
    [InlineData("totp", "12345a", HttpStatusCode.BadRequest)]
    [InlineData("totp", "", HttpStatusCode.BadRequest)]
    [InlineData("carrier-pigeon", "123456", HttpStatusCode.BadRequest)]
    [InlineData("recovery_code", "not-a-code", HttpStatusCode.BadRequest)]
    public async Task Malformed_second_steps_get_a_clear_400(string method, string code, HttpStatusCode expected)
    {
        var account = await _client.CreateAccountWithTotpAsync("bad-input");

        using var response = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), method, code);

        response.StatusCode.ShouldBe(expected);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_missing_unknown_or_spent_mfaToken_gets_401()
    {
        using var unknown = await _client.SecondStepAsync(ServiceDefaultsToken(), "totp", "123456");
        unknown.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var missing = await platform.Gateway.PostAsJsonAsync("/api/sessions/mfa", new { method = "totp", code = "123456" });
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var hostile = await _client.SecondStepAsync("'; DROP TABLE accounts; --", "totp", "123456");
        hostile.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_MFA_API_needs_a_token_signed_by_the_platform()
    {
        using var anonymous = await platform.Gateway.GetAsync("/api/mfa");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var forged = await _client.SendAsync(HttpMethod.Get, "/api/mfa", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static string ServiceDefaultsToken() => Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
}
