using System.Net;

namespace AuthPlatform.Cli.Tests;

/// <summary>The CLI keeps the device token a sign-in returns and sends it back, so guesses by others do not lock it out.</summary>
public sealed class DeviceTokenTests(CliPlatform platform)
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_machine_that_logged_in_before_logs_in_although_guesses_from_its_network_locked_the_account()
    {
        var accounts = new AccountClient(platform);
        var (email, _) = await accounts.CreateVerifiedAccountAsync("cli-device");
        using var laptop = new CliMachine(platform);
        (await laptop.RunAsync($"{email}\n{AccountClient.GoodPassword}\n", "login")).ShouldSucceed();
        var deviceTokens = Path.Combine(laptop.ConfigDirectory, "device-tokens.json");
        File.Exists(deviceTokens).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(deviceTokens).ShouldBe(PrivateFile);
        }
        (await laptop.RunAsync(null, "logout")).ShouldSucceed();
        File.Exists(deviceTokens).ShouldBeTrue("the device stays known after logout");

        // Someone on the same network guesses the password until the account is locked for that network.
        for (var i = 0; i < 10; i++)
        {
            using var wrong = await accounts.SignInAsync(email, $"guess number {i}");
            wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        using var stranger = new CliMachine(platform);
        (await stranger.RunAsync($"{email}\n{AccountClient.GoodPassword}\n", "login")).ShouldFailWithOneErrorLine().ShouldContain("Too many attempts");

        var again = await laptop.RunAsync($"{email}\n{AccountClient.GoodPassword}\n", "login");
        again.ShouldSucceed();
        again.Stdout.ShouldContain($"as {email}.");
    }

    [Fact]
    public async Task Login_remember_lets_this_machine_alone_log_in_with_the_password_only()
    {
        var account = await new People(platform).CreateAccountWithTotpAsync("cli-remember");
        using var laptop = new CliMachine(platform);
        var code = await account.Phone.NextCodeAsync();
        var remembered = await laptop.RunAsync($"{account.Email}\n{AccountClient.GoodPassword}\n{code}\n", "login", "--remember");
        remembered.ShouldSucceed();
        remembered.Stdout.ShouldContain("This machine is remembered");

        // No code on stdin: this machine signs in with the password; another one is asked for the code and has none.
        var again = await laptop.RunAsync($"{account.Email}\n{AccountClient.GoodPassword}\n", "login");
        again.ShouldSucceed();
        again.Stdout.ShouldNotContain("Two-factor authentication");
        using var other = new CliMachine(platform);
        (await other.RunAsync($"{account.Email}\n{AccountClient.GoodPassword}\n", "login")).ShouldFailWithOneErrorLine()
            .ShouldContain("no two-factor code was given");
    }
}
