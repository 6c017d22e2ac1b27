using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AuthPlatform.Cli.Tests;

/// <summary>The <c>authplatform</c> CLI, run as a process against the whole platform.</summary>
public sealed partial class CliTests(CliPlatform platform)
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly People _people = new(platform);

    [Fact]
    public async Task Login_with_an_authenticator_code_on_stdin_then_whoami_with_a_private_credentials_file()
    {
        var account = await _people.CreateAccountWithTotpAsync("cli-totp");
        using var machine = new CliMachine(platform);

        // The confirm used this step; the login gets the next one, typed the way the app shows it ("123 456").
        var code = await account.Phone.NextCodeAsync();
        var login = await machine.RunAsync($"{account.Email}\n{AccountClient.GoodPassword}\n{code[..3]} {code[3..]}\n", "login");
        login.ShouldSucceed();
        login.Stdout.ShouldContain("Two-factor authentication: enter the code from your authenticator app, or a recovery code.");
        login.Stdout.ShouldContain($"Signed in to {machine.Gateway.TrimEnd('/')} as {account.Email}.");
        login.Stdout.ShouldNotContain(AccountClient.GoodPassword);

        var whoami = await machine.RunAsync(null, "whoami");
        whoami.ShouldSucceed();
        whoami.Stdout.ShouldContain($"Email: {account.Email}");
        whoami.Stdout.ShouldContain("Email verified: yes");
        whoami.Stdout.ShouldContain("2FA: on (totp)");
        IdLine().IsMatch(whoami.Stdout).ShouldBeTrue(whoami.Stdout);

        ModeOf(machine.CredentialsFile).ShouldBe(PrivateFile);
        ModeOf(machine.ConfigDirectory).ShouldBe(PrivateDirectory);
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(machine.CredentialsFile))!;
        stored["gateway"]!.GetValue<string>().ShouldBe(machine.Gateway.TrimEnd('/'));
        stored["accessToken"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        stored["refreshToken"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        DateTimeOffset.Parse(stored["accessTokenExpiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(10));
        stored.ToJsonString().ShouldNotContain(AccountClient.GoodPassword);
    }

    [Fact]
    public async Task A_recovery_code_works_as_the_code()
    {
        var account = await _people.CreateAccountWithTotpAsync("cli-recovery");
        using var machine = new CliMachine(platform);

        var login = await machine.RunAsync($"{account.Email}\n{AccountClient.GoodPassword}\n{account.RecoveryCodes[0]}\n", "login");
        login.ShouldSucceed();

        var status = await machine.RunAsync(null, "mfa", "status");
        status.ShouldSucceed();
        status.Stdout.ShouldContain("2FA: on (totp)");
        status.Stdout.ShouldContain("Recovery codes remaining: 9");
    }

    [Fact]
    public async Task Creating_a_key_from_an_old_session_asks_for_the_password_and_code_again_then_succeeds()
    {
        var account = await _people.CreateAccountWithTotpAsync("cli-reauth");
        using var machine = new CliMachine(platform);
        var code = await account.Phone.NextCodeAsync();
        (await machine.RunAsync($"{account.Email}\n{AccountClient.GoodPassword}\n{code}\n", "login")).ShouldSucceed();

        await Task.Delay(TimeSpan.FromSeconds(12)); // past RecentSignIn__MaxAge

        // A wrong password is one clear error and creates nothing.
        var refused = await machine.RunAsync("not the password at all\n", "keys", "create", "refused-key");
        refused.ShouldFailWithOneErrorLine().ShouldBe("error: The email or password is incorrect.");

        var again = await account.Phone.NextCodeAsync();
        var created = await machine.RunAsync($"{AccountClient.GoodPassword}\n{again}\n", "keys", "create", "after-a-while");
        created.ShouldSucceed();
        created.Stdout.ShouldContain("This change needs you to confirm it is you.");
        created.Stdout.ShouldContain("aps_");
        created.Stdout.ShouldNotContain(AccountClient.GoodPassword);
        (await machine.RunAsync(null, "keys", "list")).Stdout.ShouldNotContain("refused-key");
    }

    [Fact]
    public async Task A_wrong_password_is_one_error_line_and_exit_code_1()
    {
        var (email, _) = await _people.Accounts.CreateVerifiedAccountAsync("cli-wrong");
        using var machine = new CliMachine(platform);
        const string wrong = "not the password at all";

        var login = await machine.RunAsync($"{email}\n{wrong}\n", "login");

        login.ShouldFailWithOneErrorLine().ShouldBe("error: The email or password is incorrect.");
        (login.Stdout + login.Stderr).ShouldNotContain(wrong);
        File.Exists(machine.CredentialsFile).ShouldBeFalse();
    }

    [Fact]
    public async Task An_access_key_signs_in_without_a_person_lists_without_its_secret_and_stops_working_when_revoked()
    {
        var account = await _people.CreateAccountWithTotpAsync("cli-keys");

        // A person signs in (with 2FA) and creates a key.
        using var laptop = new CliMachine(platform);
        var code = await account.Phone.NextCodeAsync();
        (await laptop.RunAsync($"{account.Email}\n{AccountClient.GoodPassword}\n{code}\n", "login")).ShouldSucceed();
        var created = await laptop.RunAsync(null, "keys", "create", "ci-key");
        created.ShouldSucceed();
        created.Stdout.ShouldContain("shown once");
        var accessKeyId = KeyIdLine().Match(created.Stdout).Groups[1].Value;
        var secret = SecretLine().Match(created.Stdout).Groups[1].Value;
        accessKeyId.ShouldNotBeNullOrEmpty(created.Stdout);
        secret.ShouldNotBeNullOrEmpty(created.Stdout);

        // A CI machine signs in with it: no password, no 2FA prompt.
        using var ci = new CliMachine(platform);
        ci.Environment["AUTHPLATFORM_ACCESS_KEY_ID"] = accessKeyId;
        ci.Environment["AUTHPLATFORM_SECRET"] = secret;
        var keyLogin = await ci.RunAsync(null, "login", "--access-key");
        keyLogin.ShouldSucceed();
        keyLogin.Stdout.ShouldNotContain(secret);
        ModeOf(ci.CredentialsFile).ShouldBe(PrivateFile);
        var whoami = await ci.RunAsync(null, "whoami");
        whoami.ShouldSucceed();
        whoami.Stdout.ShouldContain($"Email: {account.Email}");
        whoami.Stdout.ShouldNotContain(secret);
        whoami.Stdout.ShouldContain($"Signed in with access key: {accessKeyId}");
        // A key's token may not mint more keys: the server's reason, on one line.
        (await ci.RunAsync(null, "keys", "create", "another")).ShouldFailWithOneErrorLine().ShouldContain("obtained with an access key cannot");

        // When its token runs out, the CLI asks /connect/token again with the stored key.
        var before = await ExpireAccessTokenAsync(ci);
        (await ci.RunAsync(null, "whoami")).ShouldSucceed();
        ReadStored(ci)["accessToken"]!.GetValue<string>().ShouldNotBe(before["accessToken"]!.GetValue<string>());

        var list = await laptop.RunAsync(null, "keys", "list");
        list.ShouldSucceed();
        list.Stdout.ShouldContain("ci-key");
        list.Stdout.ShouldContain(accessKeyId);
        list.Stdout.ShouldNotContain(secret);
        list.Stdout.Split('\n')[0].ShouldStartWith("ID");

        var revoke = await laptop.RunAsync(null, "keys", "revoke", accessKeyId);
        revoke.ShouldSucceed();
        (await laptop.RunAsync(null, "keys", "list")).Stdout.ShouldNotContain(accessKeyId);

        using var another = new CliMachine(platform);
        another.Environment["AUTHPLATFORM_ACCESS_KEY_ID"] = accessKeyId;
        another.Environment["AUTHPLATFORM_SECRET"] = secret;
        var refused = await another.RunAsync(null, "login", "--access-key");
        refused.ShouldFailWithOneErrorLine();
        (refused.Stdout + refused.Stderr).ShouldNotContain(secret);
        File.Exists(another.CredentialsFile).ShouldBeFalse();
    }

    [Fact]
    public async Task No_gateway_is_one_error_line_and_exit_code_1()
    {
        using var machine = new CliMachine(platform) { Gateway = "http://127.0.0.1:9" };

        var login = await machine.RunAsync($"someone@example.test\n{AccountClient.GoodPassword}\n", "login");

        login.ShouldFailWithOneErrorLine().ShouldStartWith("error: cannot reach the gateway at http://127.0.0.1:9 (");
    }

    [Fact]
    public async Task Whoami_without_login_says_to_log_in()
    {
        using var machine = new CliMachine(platform);

        var whoami = await machine.RunAsync(null, "whoami");

        whoami.ShouldFailWithOneErrorLine().ShouldContain("run `authplatform login`");
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_with_rotation_and_logout_ends_the_session()
    {
        var (email, _) = await _people.Accounts.CreateVerifiedAccountAsync("cli-refresh");
        using var machine = new CliMachine(platform);
        var login = await machine.RunAsync($"{email}\n{AccountClient.GoodPassword}\n", "login");
        login.ShouldSucceed();
        login.Stdout.ShouldNotContain("Two-factor");

        var before = await ExpireAccessTokenAsync(machine);
        var whoami = await machine.RunAsync(null, "whoami");
        whoami.ShouldSucceed();
        whoami.Stdout.ShouldContain("2FA: off");
        var after = ReadStored(machine);
        after["refreshToken"]!.GetValue<string>().ShouldNotBe(before["refreshToken"]!.GetValue<string>());
        after["accessToken"]!.GetValue<string>().ShouldNotBe(before["accessToken"]!.GetValue<string>());
        ModeOf(machine.CredentialsFile).ShouldBe(PrivateFile);

        var logout = await machine.RunAsync(null, "logout");
        logout.ShouldSucceed();
        File.Exists(machine.CredentialsFile).ShouldBeFalse();
        using var refresh = await platform.Gateway.PostAsJsonAsync("/api/sessions/refresh", new { refreshToken = after["refreshToken"]!.GetValue<string>() });
        refresh.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "logout revoked the session");
        (await machine.RunAsync(null, "whoami")).ShouldFailWithOneErrorLine().ShouldContain("run `authplatform login`");
    }

    [Fact]
    public async Task A_refresh_the_gateway_refuses_says_the_session_has_expired()
    {
        var (email, _) = await _people.Accounts.CreateVerifiedAccountAsync("cli-expired");
        using var machine = new CliMachine(platform);
        (await machine.RunAsync($"{email}\n{AccountClient.GoodPassword}\n", "login")).ShouldSucceed();
        var stored = ReadStored(machine);
        stored["accessTokenExpiresAt"] = "2000-01-01T00:00:00+00:00";
        stored["refreshToken"] = Base64Url(RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(machine.CredentialsFile, stored.ToJsonString());

        var whoami = await machine.RunAsync(null, "whoami");

        whoami.ShouldFailWithOneErrorLine().ShouldBe("error: Your session has expired; run `authplatform login`.");
    }

    [Fact]
    public async Task Usage_errors_exit_with_2_and_help_and_version_work()
    {
        using var machine = new CliMachine(platform);
        (await machine.RunAsync(null, "frobnicate")).ShouldFailWithOneErrorLine(exitCode: 2);
        (await machine.RunAsync(null, "keys", "create")).ShouldFailWithOneErrorLine(exitCode: 2);
        (await machine.RunAsync(null, "whoami", "--access-key")).ShouldFailWithOneErrorLine(exitCode: 2);

        var help = await machine.RunAsync(null, "--help");
        help.ShouldSucceed();
        help.Stdout.ShouldContain("keys revoke ID");
        var version = await machine.RunAsync(null, "--version");
        version.ShouldSucceed();
        version.Stdout.ShouldStartWith("authplatform ");
    }

    /// <summary>Makes the stored access token expire within the 30-s margin; returns the credentials as they were.</summary>
    private static async Task<JsonNode> ExpireAccessTokenAsync(CliMachine machine)
    {
        var before = ReadStored(machine);
        var expired = before.DeepClone();
        expired["accessTokenExpiresAt"] = DateTimeOffset.UtcNow.AddSeconds(10).ToString("O");
        // Rewriting in place keeps the file's 0600 mode.
        await File.WriteAllTextAsync(machine.CredentialsFile, expired.ToJsonString());
        return before;
    }

    private static JsonNode ReadStored(CliMachine machine) => JsonNode.Parse(File.ReadAllText(machine.CredentialsFile))!;

    private static UnixFileMode ModeOf(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes");
        }
        return File.GetUnixFileMode(path);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"^ID: [0-9a-f-]{36}$", RegexOptions.Multiline)]
    private static partial Regex IdLine();

    [GeneratedRegex(@"^\s*Access key ID:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KeyIdLine();

    [GeneratedRegex(@"^\s*Secret:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SecretLine();
}
