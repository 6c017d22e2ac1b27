using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace AuthPlatform.Cli.Tests;

/// <summary>`authplatform clients add|list|remove`: OpenID Connect client registration, for administrators only.</summary>
public sealed partial class ClientsCommandTests(CliPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task An_administrator_registers_lists_and_removes_a_client_whose_secret_works_only_while_it_exists()
    {
        (await _accounts.SignUpAsync(CliPlatform.AdministratorEmail)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _accounts.PressVerifyInEmailAsync(CliPlatform.AdministratorEmail)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _accounts.SignInVerifiedAsync(CliPlatform.AdministratorEmail);
        using var admin = new CliMachine(platform);
        (await admin.RunAsync($"{CliPlatform.AdministratorEmail}\n{AccountClient.GoodPassword}\n", "login")).ShouldSucceed();

        var added = await admin.RunAsync(null, "clients", "add", "cli-shop", "--name", "The Shop",
            "--redirect-uri", "https://shop.example.test/signin-oidc", "--post-logout-redirect-uri", "https://shop.example.test/signed-out",
            "--scope", "email", "--scope", "offline_access");
        added.ShouldSucceed();
        added.Stdout.ShouldContain("Registered confidential client cli-shop (\"The Shop\"), scopes openid email offline_access.");
        added.Stdout.ShouldContain("The secret is shown once");
        var secret = SecretLine().Match(added.Stdout).Groups[1].Value;
        secret.ShouldNotBeNullOrEmpty();

        // The secret authenticates the client at the token endpoint: a made-up code is the grant's fault, not the client's.
        (await TokenErrorAsync("cli-shop", secret)).ShouldBe((HttpStatusCode.BadRequest, "invalid_grant"));
        (await TokenErrorAsync("cli-shop", secret + "x")).ShouldBe((HttpStatusCode.Unauthorized, "invalid_client"));

        var list = await admin.RunAsync(null, "clients", "list");
        list.ShouldSucceed();
        var shop = list.Stdout.Split('\n').Single(line => line.StartsWith("cli-shop ", StringComparison.Ordinal));
        shop.ShouldContain("The Shop");
        shop.ShouldContain("confidential");
        shop.ShouldContain("cli ");
        shop.ShouldContain("https://shop.example.test/signin-oidc");
        list.Stdout.Split('\n').Single(line => line.StartsWith("relying-party-sample ", StringComparison.Ordinal)).ShouldContain("configuration");
        list.Stdout.ShouldNotContain(secret);

        // The registration rules of configuration apply: plain http only on loopback, no duplicate ids.
        (await admin.RunAsync(null, "clients", "add", "cli-bad", "--name", "Bad", "--redirect-uri", "http://shop.example.test/cb"))
            .ShouldFailWithOneErrorLine().ShouldContain("https (http only on a loopback address)");
        (await admin.RunAsync(null, "clients", "add", "cli-shop", "--name", "Again", "--redirect-uri", "https://shop.example.test/cb"))
            .ShouldFailWithOneErrorLine().ShouldContain("already registered");
        (await admin.RunAsync(null, "clients", "add", "cli-no-uri", "--name", "No URI")).ShouldFailWithOneErrorLine(2).ShouldContain("usage:");

        var removed = await admin.RunAsync(null, "clients", "remove", "cli-shop");
        removed.ShouldSucceed();
        removed.Stdout.ShouldContain("Removed client cli-shop");
        (await TokenErrorAsync("cli-shop", secret)).ShouldBe((HttpStatusCode.Unauthorized, "invalid_client"));
        (await admin.RunAsync(null, "clients", "remove", "relying-party-sample")).ShouldFailWithOneErrorLine().ShouldContain("registered by configuration");
    }

    [Fact]
    public async Task Someone_without_the_administrator_role_can_neither_list_nor_add_clients()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("cli-not-admin");
        using var machine = new CliMachine(platform);
        (await machine.RunAsync($"{email}\n{AccountClient.GoodPassword}\n", "login")).ShouldSucceed();

        (await machine.RunAsync(null, "clients", "list")).ShouldFailWithOneErrorLine()
            .ShouldBe("error: Only an administrator can manage OpenID Connect clients.");
        (await machine.RunAsync(null, "clients", "add", "sneaky", "--name", "Sneaky", "--redirect-uri", "https://sneaky.example.test/cb"))
            .ShouldFailWithOneErrorLine().ShouldBe("error: Only an administrator can manage OpenID Connect clients.");
    }

    private async Task<(HttpStatusCode Status, string Error)> TokenErrorAsync(string clientId, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = "not-a-code",
                ["redirect_uri"] = "https://shop.example.test/signin-oidc",
                ["code_verifier"] = new string('v', 64),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        using var response = await platform.Gateway.SendAsync(request);
        var body = await AccountClient.JsonAsync(response);
        return (response.StatusCode, body.GetProperty("error").GetString()!);
    }

    [GeneratedRegex(@"Client secret: (ocs_\S+)")]
    private static partial Regex SecretLine();
}
