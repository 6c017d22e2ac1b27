namespace AuthPlatform.Cli.Tests;

/// <summary>Issue 11 (Low): the CLI does not send passwords or tokens over plain http:// to another machine.</summary>
public sealed class InsecureGatewayTests(CliPlatform platform)
{
    private const string RemoteHttpGateway = "http://gateway.example.test:8080";

    [Fact]
    public async Task Plain_http_to_a_remote_gateway_is_refused_before_anything_is_asked_or_sent()
    {
        using var machine = new CliMachine(platform) { Gateway = RemoteHttpGateway };
        var login = await machine.RunAsync($"someone@example.test\n{AccountClient.GoodPassword}\n", "login");
        login.ShouldFailWithOneErrorLine(exitCode: 2).ShouldContain("refusing plain http:// to gateway.example.test");
        login.Stdout.ShouldNotContain("Password", Case.Insensitive, "refused before the password is asked for");
        File.Exists(machine.CredentialsFile).ShouldBeFalse();
        (await machine.RunAsync(null, "login", "--access-key")).ShouldFailWithOneErrorLine(exitCode: 2).ShouldContain("--insecure");
    }

    [Fact]
    public async Task Insecure_lifts_the_refusal_and_loopback_http_needs_no_flag()
    {
        using var remote = new CliMachine(platform) { Gateway = RemoteHttpGateway };
        // With --insecure the CLI goes ahead (and fails only because the host does not exist).
        var insecure = await remote.RunAsync($"someone@example.test\n{AccountClient.GoodPassword}\n", "--insecure", "login");
        insecure.ExitCode.ShouldBe(1, insecure.ToString());
        insecure.Stderr.ShouldNotContain("refusing plain http://");

        // The honest local run: http:// to loopback works as before.
        var (email, _) = await new AccountClient(platform).CreateVerifiedAccountAsync("cli-loopback");
        using var local = new CliMachine(platform);
        local.Gateway.ShouldStartWith("http://127.0.0.1:");
        (await local.RunAsync($"{email}\n{AccountClient.GoodPassword}\n", "login")).ShouldSucceed();
    }
}
