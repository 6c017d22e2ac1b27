using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace AuthPlatform.Account.Tests;

/// <summary>
/// Lockout must not be a denial of service: guesses from one network cannot lock the owner out elsewhere, a known
/// device is not locked out by guesses on its own network, access keys cannot be locked at all. Only the
/// per-account ceiling of 100 consecutive failures (NIST SP 800-63B) stops everyone.
/// </summary>
public sealed class LockoutTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    private static async Task<string> DeviceTokenOfAsync(HttpResponseMessage signIn)
    {
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK, await signIn.Content.ReadAsStringAsync());
        var deviceToken = (await AccountClient.JsonAsync(signIn)).GetProperty("deviceToken").GetString();
        deviceToken.ShouldNotBeNullOrEmpty();
        return deviceToken;
    }

    private static async Task GuessAsync(LoadBalancedGateway gateway, string email, string client, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var wrong = await gateway.SignInAsync(email, $"attacker guess number {i}", client);
            wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"guess {i + 1} from {client}");
        }
    }

    [Fact]
    public async Task Eleven_wrong_passwords_from_one_network_do_not_lock_out_the_owner_on_another()
    {
        var gateway = await LoadBalancedGateway.ForAsync(platform);
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("lockout-dos");
        var attacker = LoadBalancedGateway.NewIPv4Client();

        await GuessAsync(gateway, email, attacker, 10);
        using var eleventh = await gateway.SignInAsync(email, "attacker guess number 11", attacker);
        eleventh.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // The attacker's network stays locked for this account even with the right password ...
        using var rightFromAttacker = await gateway.SignInAsync(email, AccountClient.GoodPassword, attacker);
        rightFromAttacker.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        // ... but the owner, elsewhere, signs in.
        using var owner = await gateway.SignInAsync(email, AccountClient.GoodPassword, LoadBalancedGateway.NewIPv4Client());
        owner.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_known_device_signs_in_although_guesses_from_its_own_network_locked_the_account_there()
    {
        var gateway = await LoadBalancedGateway.ForAsync(platform);
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("known-device");
        var office = LoadBalancedGateway.NewIPv4Client();
        using var first = await gateway.SignInAsync(email, AccountClient.GoodPassword, office);
        var deviceToken = await DeviceTokenOfAsync(first);

        // Someone behind the same NAT guesses until the account is locked for that network.
        await GuessAsync(gateway, email, office, 10);
        using var withoutToken = await gateway.SignInAsync(email, AccountClient.GoodPassword, office);
        withoutToken.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        using var knownDevice = await gateway.SignInAsync(email, AccountClient.GoodPassword, office, deviceToken);
        (await DeviceTokenOfAsync(knownDevice)).ShouldNotBe(deviceToken);
    }

    [Fact]
    public async Task A_device_token_of_another_account_or_a_forged_one_does_not_exempt_anyone()
    {
        var gateway = await LoadBalancedGateway.ForAsync(platform);
        var (attackerEmail, _) = await _accounts.CreateVerifiedAccountAsync("own-account");
        var (victim, _) = await _accounts.CreateVerifiedAccountAsync("victim");
        var attacker = LoadBalancedGateway.NewIPv4Client();
        using var own = await gateway.SignInAsync(attackerEmail, AccountClient.GoodPassword, attacker);
        var attackersDeviceToken = await DeviceTokenOfAsync(own);

        await GuessAsync(gateway, victim, attacker, 10);
        foreach (var token in new[] { attackersDeviceToken, attackersDeviceToken[..^4] + "AAAA", "not-a-device-token" })
        {
            using var refused = await gateway.SignInAsync(victim, "attacker guess again", attacker, token);
            refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        }
    }

    [Fact]
    public async Task After_100_consecutive_failures_from_anywhere_even_a_known_device_is_stopped()
    {
        var gateway = await LoadBalancedGateway.ForAsync(platform);
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("ceiling");
        var home = LoadBalancedGateway.NewIPv4Client();
        using var first = await gateway.SignInAsync(email, AccountClient.GoodPassword, home);
        var deviceToken = await DeviceTokenOfAsync(first);

        // A botnet: 10 networks, 10 guesses each — no network reaches its own limit.
        for (var network = 0; network < 10; network++)
        {
            await GuessAsync(gateway, email, LoadBalancedGateway.NewIPv4Client(), 10);
        }
        using var fromNewNetwork = await gateway.SignInAsync(email, "guess 101", LoadBalancedGateway.NewIPv4Client());
        fromNewNetwork.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        using var knownDevice = await gateway.SignInAsync(email, AccountClient.GoodPassword, home, deviceToken);
        knownDevice.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        int.Parse(knownDevice.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 60 * 60);
        (await AccountClient.JsonAsync(knownDevice)).GetProperty("type").GetString()!.ShouldEndWith("too-many-attempts");
    }

    [Fact]
    public async Task Wrong_secrets_for_an_access_key_id_do_not_lock_the_key()
    {
        var gateway = await LoadBalancedGateway.ForAsync(platform);
        var (_, tokens) = await _accounts.CreateVerifiedAccountAsync("key-owner");
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/access-keys") { Content = JsonContent.Create(new { name = "ci" }) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var created = await platform.Gateway.SendAsync(create);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var key = await AccountClient.JsonAsync(created);
        var keyId = key.GetProperty("accessKeyId").GetString()!;
        var secret = key.GetProperty("secret").GetString()!;

        // Key ids are not secret: an attacker sends wrong secrets for it, from the owner's network too.
        var ci = LoadBalancedGateway.NewIPv4Client();
        foreach (var client in new[] { LoadBalancedGateway.NewIPv4Client(), ci })
        {
            for (var i = 0; i < 15; i++)
            {
                using var wrong = await TokenAsync(gateway, keyId, secret[..^3] + $"{i:000}", client);
                wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            }
        }

        using var owner = await TokenAsync(gateway, keyId, secret, ci);
        owner.StatusCode.ShouldBe(HttpStatusCode.OK, await owner.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> TokenAsync(LoadBalancedGateway gateway, string clientId, string clientSecret, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("client_id", clientId), new("client_secret", clientSecret)]),
        };
        return await gateway.SendAsync(request, client);
    }
}
