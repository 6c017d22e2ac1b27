using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AuthPlatform.Internal;

namespace AuthPlatform.Account.Tests;

/// <summary>
/// Google sign-in as account decides it (the portal's browser side is tested in Portal.Tests): only the portal may hand
/// over a person, on the internal listener; a verified new address becomes an account with amr "google"; an existing
/// account links only after a password sign-in newer than the link; an unverified address is refused; the last way in
/// cannot be unlinked.
/// </summary>
public sealed class ExternalIdentityTests(AccountPlatform platform)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private readonly AccountClient _accounts = new(platform);

    private ServiceInstance Account => platform.Fleet.Replicas("account").Single();

    private async Task<HttpResponseMessage> HandOverAsync(object person, string? caller = "portal", Uri? at = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(at ?? Account.InternalAddress!, "/internal/external-sign-in"))
        {
            Content = JsonContent.Create(person),
        };
        if (caller is not null)
        {
            var tokens = new InternalTokens(new InternalAuthOptions { ServiceName = caller, SigningKey = platform.Fleet.ServicePrivateKey(caller) }, TimeProvider.System);
            request.Headers.Authorization = new AuthenticationHeaderValue("Internal", tokens.Mint("account", clientAddress: "127.0.0.1"));
        }
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static object Person(string email, bool verified = true, string? subject = null) =>
        new { provider = "google", subject = subject ?? Guid.NewGuid().ToString("N"), email, emailVerified = verified };

    private static string[] AmrOf(string accessToken)
    {
        var payload = accessToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return [.. json.RootElement.GetProperty("amr").EnumerateArray().Select(a => a.GetString()!)];
    }

    [Fact]
    public async Task Only_the_portal_hands_over_a_person_and_only_on_the_internal_listener()
    {
        var person = Person(PlatformFixture.NewEmail("ext-caller"));
        using var publicPort = await HandOverAsync(person, at: Account.BaseAddress);
        using var noToken = await HandOverAsync(person, caller: null);
        using var mfaToken = await HandOverAsync(person, caller: "mfa");
        using var throughGateway = await platform.Gateway.PostAsJsonAsync("/internal/external-sign-in", person, TestContext.Current.CancellationToken);

        publicPort.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        noToken.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        mfaToken.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "mfa is no caller of account's internal API");
        throughGateway.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var malformed = await HandOverAsync(new { provider = "myspace", subject = "1", email = "not an address", emailVerified = true });
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        malformed.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_verified_new_address_is_an_account_at_once_with_amr_google_and_no_password()
    {
        var email = PlatformFixture.NewEmail("ext-new");
        var person = Person(email);
        using var first = await HandOverAsync(person);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = await AccountClient.JsonAsync(first);
        answer.GetProperty("result").GetString().ShouldBe("signed-in");
        answer.GetProperty("newAccount").GetBoolean().ShouldBeTrue();
        var accessToken = answer.GetProperty("accessToken").GetString()!;
        AmrOf(accessToken).ShouldBe(["google"]);

        var profile = await AccountClient.JsonAsync(await _accounts.GetProfileAsync(accessToken));
        profile.GetProperty("email").GetString().ShouldBe(email);
        var methods = await AccountClient.JsonAsync(await _accounts.SendAsync(HttpMethod.Get, "/api/accounts/me/external-identities", accessToken));
        methods.GetProperty("hasPassword").GetBoolean().ShouldBeFalse();
        methods.GetProperty("identities").EnumerateArray().Single().GetProperty("provider").GetString().ShouldBe("google");

        // The same person again: the same account, not a new one. No password signs it in.
        var again = await AccountClient.JsonAsync(await HandOverAsync(person));
        again.GetProperty("newAccount").GetBoolean().ShouldBeFalse();
        (await AccountClient.JsonAsync(await _accounts.GetProfileAsync(again.GetProperty("accessToken").GetString()!))).GetProperty("id").GetGuid()
            .ShouldBe(profile.GetProperty("id").GetGuid());
        (await _accounts.SignInAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // The last way in stays.
        var identity = methods.GetProperty("identities")[0].GetProperty("id").GetString();
        using var unlink = await _accounts.SendAsync(HttpMethod.Delete, $"/api/accounts/me/external-identities/{identity}", accessToken);
        unlink.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await AccountClient.JsonAsync(unlink)).GetProperty("type").GetString()!.ShouldEndWith("/last-sign-in-method");
    }

    [Fact]
    public async Task An_unverified_address_neither_creates_nor_links()
    {
        var email = PlatformFixture.NewEmail("ext-unverified");
        using var refused = await HandOverAsync(Person(email, verified: false));
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AccountClient.JsonAsync(refused)).GetProperty("type").GetString()!.ShouldEndWith("/provider-email-not-verified");

        var (existing, _) = await _accounts.CreateVerifiedAccountAsync("ext-unverified-existing");
        using var refusedLink = await HandOverAsync(Person(existing, verified: false));
        refusedLink.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Nothing was made for the new address: a verified hand-over now creates the account.
        (await AccountClient.JsonAsync(await HandOverAsync(Person(email)))).GetProperty("newAccount").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task An_existing_account_links_only_with_a_password_sign_in_newer_than_the_link()
    {
        var (email, before) = await _accounts.CreateVerifiedAccountAsync("ext-link");
        var person = Person(email, subject: "google-" + Guid.NewGuid().ToString("N"));
        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken); // auth_time has whole seconds
        var answer = await AccountClient.JsonAsync(await HandOverAsync(person));
        answer.GetProperty("result").GetString().ShouldBe("link-required");
        (answer.TryGetProperty("accessToken", out var leaked) && leaked.ValueKind != JsonValueKind.Null).ShouldBeFalse("no tokens before the proof");
        var linkToken = answer.GetProperty("linkToken").GetString()!;

        // A session proven before Google's answer is no proof, and a made-up token links nothing.
        using var stale = await _accounts.SendAsync(HttpMethod.Post, "/api/accounts/me/external-identities", before.AccessToken, new { linkToken });
        stale.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AccountClient.JsonAsync(stale)).GetProperty("type").GetString()!.ShouldEndWith("/link-proof-required");
        var fresh = await _accounts.SignInVerifiedAsync(email);
        // Its first character changed (a token that already began with "x" once stayed the same and linked: CI).
        using var unknown = await _accounts.SendAsync(HttpMethod.Post, "/api/accounts/me/external-identities", fresh.AccessToken, new { linkToken = (linkToken[0] == 'x' ? "y" : "x") + linkToken[1..] });
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        // Another account's fresh session cannot spend it either.
        var (_, stranger) = await _accounts.CreateVerifiedAccountAsync("ext-stranger");
        (await _accounts.SendAsync(HttpMethod.Post, "/api/accounts/me/external-identities", stranger.AccessToken, new { linkToken })).StatusCode
            .ShouldBe(HttpStatusCode.BadRequest);

        using var linked = await _accounts.SendAsync(HttpMethod.Post, "/api/accounts/me/external-identities", fresh.AccessToken, new { linkToken });
        linked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _accounts.SendAsync(HttpMethod.Post, "/api/accounts/me/external-identities", fresh.AccessToken, new { linkToken })).StatusCode
            .ShouldBe(HttpStatusCode.BadRequest, "a link token works once");

        // Now Google alone signs it in (amr google), and with a password it can be unlinked.
        var signedIn = await AccountClient.JsonAsync(await HandOverAsync(person));
        signedIn.GetProperty("result").GetString().ShouldBe("signed-in");
        AmrOf(signedIn.GetProperty("accessToken").GetString()!).ShouldBe(["google"]);
        var identity = (await AccountClient.JsonAsync(await _accounts.SendAsync(HttpMethod.Get, "/api/accounts/me/external-identities", fresh.AccessToken)))
            .GetProperty("identities")[0].GetProperty("id").GetString();
        (await _accounts.SendAsync(HttpMethod.Delete, $"/api/accounts/me/external-identities/{identity}", fresh.AccessToken)).StatusCode
            .ShouldBe(HttpStatusCode.NoContent);
        (await AccountClient.JsonAsync(await HandOverAsync(person))).GetProperty("result").GetString().ShouldBe("link-required");
    }
}
