using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuthPlatform.Mfa.Tests;

/// <summary>
/// Passkeys through the gateway, answered by a <see cref="SoftwarePasskey"/>: the options the platform asks for, a
/// passkey-only sign-in that counts as multi-factor, and the answers it must refuse (another origin, another RP id,
/// no user verification, a replayed assertion, a reused challenge, a counter that went backwards, a locked account).
/// </summary>
public sealed class PasskeyApiTests(MfaPlatform platform)
{
    private readonly TwoFactorClient _client = new(platform);

    [Fact]
    public async Task A_registered_passkey_signs_in_alone_as_a_multi_factor_sign_in()
    {
        var (email, tokens, passkey) = await AccountWithPasskeyAsync("passkey-api");

        using var list = await _client.SendAsync(HttpMethod.Get, "/api/passkeys", tokens.AccessToken);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        var listed = (await AccountClient.JsonAsync(list)).EnumerateArray().Single();
        listed.GetProperty("name").GetString().ShouldBe("Software key");
        listed.GetProperty("synced").GetBoolean().ShouldBeFalse();
        listed.GetProperty("transports").EnumerateArray().Select(t => t.GetString()).ShouldBe(["internal"]);
        await platform.Mailbox.WaitForAsync(email, "A passkey was added to your AuthPlatform account");

        passkey.Counter = 1;
        var options = await AssertionOptionsAsync();
        options.GetProperty("rpId").GetString().ShouldBe(new Uri(platform.Fleet.PublicBaseUrl).Host);
        options.GetProperty("userVerification").GetString().ShouldBe("required");
        Base64Url.DecodeFromChars(options.GetProperty("challenge").GetString()).Length.ShouldBe(32);
        using var signedIn = await CompleteAsync(passkey.Assert(options));
        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        var accessToken = (await AccountClient.JsonAsync(signedIn)).GetProperty("accessToken").GetString()!;
        AmrOf(accessToken).ShouldBe(["hwk", "user", "mfa"]);
        (await AccountClient.JsonAsync(await _client.Accounts.GetProfileAsync(accessToken))).GetProperty("email").GetString().ShouldBe(email);
    }

    [Fact]
    public async Task Another_origin_another_rp_id_or_no_user_verification_is_refused()
    {
        var (_, _, passkey) = await AccountWithPasskeyAsync("passkey-phish");
        passkey.Counter = 1;
        var rpId = new Uri(platform.Fleet.PublicBaseUrl).Host;

        using var phished = await CompleteAsync(passkey.Assert(await AssertionOptionsAsync(), fromOrigin: "https://authplatform.example.net"));
        phished.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountClient.ProblemTypeAsync(phished)).ShouldBe("passkey-refused");

        // The same host on another port is another origin.
        using var otherPort = await CompleteAsync(passkey.Assert(await AssertionOptionsAsync(), fromOrigin: $"http://{rpId}:1"));
        otherPort.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var otherSite = await CompleteAsync(passkey.Assert(await AssertionOptionsAsync(), forRpId: "authplatform.example.net"));
        otherSite.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var unverified = await CompleteAsync(passkey.Assert(await AssertionOptionsAsync(), userVerified: false));
        unverified.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // The passkey itself still works: none of the refusals spent or moved it.
        using var signedIn = await CompleteAsync(passkey.Assert(await AssertionOptionsAsync()));
        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_replayed_assertion_and_a_second_answer_to_one_challenge_are_refused()
    {
        var (_, _, passkey) = await AccountWithPasskeyAsync("passkey-replay");
        passkey.Counter = 1;
        var options = await AssertionOptionsAsync();
        var assertion = passkey.Assert(options);
        using var first = await CompleteAsync(assertion);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var replayed = await CompleteAsync(assertion);
        replayed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountClient.ProblemTypeAsync(replayed)).ShouldBe("passkey-challenge-expired");

        // A fresh signature (higher counter) over the spent challenge.
        passkey.Counter = 2;
        using var reused = await CompleteAsync(passkey.Assert(options));
        reused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountClient.ProblemTypeAsync(reused)).ShouldBe("passkey-challenge-expired");

        // A registration's challenge works once too.
        var (_, tokens) = await _client.Accounts.CreateVerifiedAccountAsync("passkey-reregister");
        using var another = new SoftwarePasskey(platform.Fleet.PublicBaseUrl, new Uri(platform.Fleet.PublicBaseUrl).Host);
        var registration = await RegistrationOptionsAsync(tokens.AccessToken);
        var created = another.Register(registration);
        (await RegisterAsync(tokens.AccessToken, created)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var again = await RegisterAsync(tokens.AccessToken, created);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AccountClient.ProblemTypeAsync(again)).ShouldBe("passkey-challenge-expired");
    }

    [Fact]
    public async Task A_counter_that_goes_backwards_refuses_the_sign_in_and_emails_the_owner()
    {
        var (email, _, passkey) = await AccountWithPasskeyAsync("passkey-clone");
        passkey.Counter = 7;
        using var signedIn = await CompleteAsync(passkey.Assert(await AssertionOptionsAsync()));
        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);

        // A copy of the key that has signed less often than the original.
        passkey.Counter = 3;
        using var cloned = await CompleteAsync(passkey.Assert(await AssertionOptionsAsync()));
        cloned.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var problem = await AccountClient.JsonAsync(cloned);
        problem.GetProperty("type").GetString()!.ShouldEndWith("/passkey-refused");
        problem.GetProperty("detail").GetString()!.ShouldContain("may have been copied");
        var warning = await platform.Mailbox.WaitForAsync(email, "A sign-in with a copy of your passkey was refused on AuthPlatform");
        warning.Text.ShouldContain("Software key");
    }

    [Fact]
    public async Task A_locked_account_cannot_sign_in_with_its_passkey()
    {
        var (email, _, passkey) = await AccountWithPasskeyAsync("passkey-locked");
        // Distributed guessing: 10 networks, 10 wrong passwords each, reach the per-account ceiling (100).
        var gateway = await LoadBalancedGateway.ForAsync(platform);
        for (var network = 0; network < 10; network++)
        {
            var client = LoadBalancedGateway.NewIPv4Client();
            for (var guess = 0; guess < 10; guess++)
            {
                using var wrong = await gateway.SignInAsync(email, $"attacker guess {network}-{guess}", client);
                wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            }
        }

        // The passkey is genuine and verified, and still opens nothing while the lock lasts.
        passkey.Counter = 1;
        using var locked = await CompleteAsync(passkey.Assert(await AssertionOptionsAsync()));
        locked.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        int.Parse(locked.Headers.GetValues("Retry-After").Single()).ShouldBeGreaterThan(0);
        (await AccountClient.JsonAsync(locked)).TryGetProperty("accessToken", out _).ShouldBeFalse();
    }

    private async Task<(string Email, Tokens Tokens, SoftwarePasskey Passkey)> AccountWithPasskeyAsync(string hint)
    {
        var (email, tokens) = await _client.Accounts.CreateVerifiedAccountAsync(hint);
        var passkey = new SoftwarePasskey(platform.Fleet.PublicBaseUrl, new Uri(platform.Fleet.PublicBaseUrl).Host);
        var options = await RegistrationOptionsAsync(tokens.AccessToken);
        options.GetProperty("rp").GetProperty("id").GetString().ShouldBe(new Uri(platform.Fleet.PublicBaseUrl).Host);
        options.GetProperty("attestation").GetString().ShouldBe("none");
        options.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString().ShouldBe("required");
        options.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString().ShouldBe("required");
        using var created = await RegisterAsync(tokens.AccessToken, passkey.Register(options), "Software key");
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (email, tokens, passkey);
    }

    private async Task<JsonElement> RegistrationOptionsAsync(string accessToken)
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "/api/passkeys/registration/options", accessToken, new { });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await AccountClient.JsonAsync(response)).GetProperty("options");
    }

    private Task<HttpResponseMessage> RegisterAsync(string accessToken, JsonObject credential, string? name = null) =>
        _client.SendAsync(HttpMethod.Post, "/api/passkeys/registration/complete", accessToken, new { credential, name });

    private async Task<JsonElement> AssertionOptionsAsync()
    {
        using var response = await platform.Gateway.PostAsJsonAsync("/api/passkeys/assertion/options", new { });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await AccountClient.JsonAsync(response)).GetProperty("options");
    }

    private Task<HttpResponseMessage> CompleteAsync(JsonObject credential) =>
        platform.Gateway.PostAsJsonAsync("/api/passkeys/assertion/complete", new { credential });

    private static string[] AmrOf(string accessToken)
    {
        using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(accessToken.Split('.')[1]));
        return [.. json.RootElement.GetProperty("amr").EnumerateArray().Select(a => a.GetString()!)];
    }
}
