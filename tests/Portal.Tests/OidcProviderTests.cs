using System.Net;
using System.Text.Json;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// "Sign in with AuthPlatform" (docs/oidc.md): OpenIddict behind the gateway, signed in through the portal's pages in
/// Chromium, and the RFCs' error codes for bad requests.
/// </summary>
public sealed class OidcProviderTests(PortalPlatform platform, BrowserFixture browser) : IDisposable
{
    private readonly AccountClient _accounts = new(platform);
    private readonly OidcTestClient _client = new(platform);

    [Fact]
    public async Task Discovery_names_the_gateway_as_issuer_the_platforms_one_jwks_and_S256_only()
    {
        var response = await _client.Http.GetAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var discovery = await AccountClient.JsonAsync(response);
        var issuer = discovery.GetProperty("issuer").GetString()!;
        issuer.TrimEnd('/').ShouldBe(platform.Fleet.PublicBaseUrl.TrimEnd('/'));
        discovery.GetProperty("jwks_uri").GetString().ShouldBe(issuer.TrimEnd('/') + "/.well-known/jwks.json");
        // Every endpoint is on the gateway, never the address the request reached the account service on.
        discovery.GetProperty("authorization_endpoint").GetString().ShouldBe(issuer.TrimEnd('/') + "/connect/authorize");
        discovery.GetProperty("token_endpoint").GetString().ShouldBe(issuer.TrimEnd('/') + "/connect/token");
        discovery.GetProperty("userinfo_endpoint").GetString().ShouldBe(issuer.TrimEnd('/') + "/connect/userinfo");
        discovery.GetProperty("end_session_endpoint").GetString().ShouldBe(issuer.TrimEnd('/') + "/connect/endsession");
        discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()).ShouldBe(["S256"]);
        discovery.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(m => m.GetString()).ShouldContain("ES256");
    }

    [Fact]
    public async Task A_person_signs_in_at_the_portal_consents_and_the_app_gets_tokens_signed_by_the_platform_key()
    {
        var (email, apiTokens) = await _accounts.CreateVerifiedAccountAsync("oidc-flow");
        var accountId = (await AccountClient.JsonAsync(await _accounts.GetProfileAsync(apiTokens.AccessToken))).GetProperty("id").GetString();
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callback = new LoopbackRedirectReceiver();

        await visit.GotoAsync(_client.AuthorizePath());
        await visit.Page.WaitForURLAsync("**/sign-in?**");
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await visit.Page.GetByLabel("Password").FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/consent?**");
        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = $"Allow {OidcTestClient.DisplayName}?" }).WaitForAsync();
        (await visit.MainTextAsync()).ShouldContain("Your email address");
        await visit.StepAsync("consent");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        var redirect = await callback.NextAsync();
        OidcTestClient.QueryValue(redirect, "state").ShouldBe(_client.State);
        var code = OidcTestClient.QueryValue(redirect, "code");
        code.ShouldNotBeNullOrEmpty();

        var redeemed = await _client.RedeemAsync(code);
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK, await redeemed.Content.ReadAsStringAsync());
        var tokens = await AccountClient.JsonAsync(redeemed);
        var (header, idToken) = OidcTestClient.Decode(tokens.GetProperty("id_token").GetString()!);
        idToken.GetProperty("sub").GetString().ShouldBe(accountId);
        idToken.GetProperty("email").GetString().ShouldBe(email);
        idToken.GetProperty("email_verified").GetBoolean().ShouldBeTrue();
        idToken.GetProperty("amr").EnumerateArray().Select(m => m.GetString()).ShouldBe(["pwd"]);
        idToken.GetProperty("auth_time").GetInt64().ShouldBeGreaterThan(0);
        idToken.GetProperty("nonce").GetString().ShouldBe("n-" + _client.State);
        idToken.GetProperty("aud").ToString().ShouldContain(OidcTestClient.ClientId);
        header.GetProperty("alg").GetString().ShouldBe("ES256");

        // One key ring: the ID token's key is in the platform's JWKS, beside the API tokens' key.
        var jwks = await AccountClient.JsonAsync(await _client.Http.GetAsync("/.well-known/jwks.json", TestContext.Current.CancellationToken));
        var kids = jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        kids.ShouldContain(header.GetProperty("kid").GetString());
        kids.ShouldContain(OidcTestClient.Decode(apiTokens.AccessToken).Header.GetProperty("kid").GetString());

        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userInfoRequest.Headers.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());
        var userInfo = await _client.Http.SendAsync(userInfoRequest, TestContext.Current.CancellationToken);
        userInfo.StatusCode.ShouldBe(HttpStatusCode.OK);
        var info = await AccountClient.JsonAsync(userInfo);
        info.GetProperty("sub").GetString().ShouldBe(accountId);
        info.GetProperty("email").GetString().ShouldBe(email);

        // The code works once (RFC 6749 §4.1.2: invalid_grant).
        var replay = await _client.RedeemAsync(code);
        replay.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await OidcTestClient.ErrorAsync(replay)).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Refresh_tokens_rotate_and_a_spent_one_is_refused()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("oidc-refresh");
        var tokens = await SignInThroughBrowserAsync(email);
        var first = tokens.GetProperty("refresh_token").GetString()!;

        var rotated = await _client.RefreshAsync(first);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK, await rotated.Content.ReadAsStringAsync());
        var second = (await AccountClient.JsonAsync(rotated)).GetProperty("refresh_token").GetString()!;
        second.ShouldNotBe(first);

        var reused = await _client.RefreshAsync(first);
        reused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await OidcTestClient.ErrorAsync(reused)).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task An_unknown_client_gets_an_error_page_never_a_redirect()
    {
        var response = await _client.Http.GetAsync(_client.AuthorizePath(clientId: "no-such-app"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await response.Content.ReadAsStringAsync()).ShouldContain("invalid_request");
    }

    [Fact]
    public async Task A_redirect_uri_that_is_not_registered_exactly_gets_an_error_page_never_a_redirect()
    {
        var response = await _client.Http.GetAsync(_client.AuthorizePath(redirectUri: OidcTestClient.RedirectUri + "/../evil"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await response.Content.ReadAsStringAsync()).ShouldContain("invalid_request");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("plain")]
    public async Task A_request_without_an_S256_code_challenge_is_refused_with_invalid_request(string? method)
    {
        // OpenIddict checks the parameters before it trusts the redirect URI, so the refusal is its error page.
        var response = await _client.Http.GetAsync(_client.AuthorizePath(method: method), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("invalid_request");
        body.ShouldContain("code_challenge");
    }

    [Fact]
    public async Task A_wrong_client_secret_is_invalid_client()
    {
        var response = await _client.RedeemAsync("any-code", secret: "not-the-secret");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await OidcTestClient.ErrorAsync(response)).ShouldBe("invalid_client");
    }

    [Fact]
    public async Task An_unauthenticated_authorization_request_goes_to_the_portal_with_a_local_return_url()
    {
        var response = await _client.Http.GetAsync(_client.AuthorizePath(), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldStartWith("/consent?");
    }

    [Theory]
    [InlineData("prompt=login")]
    [InlineData("max_age=0")]
    public async Task A_signed_in_person_signs_in_again_when_the_app_asks_and_is_not_asked_to_consent_twice(string parameter)
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("oidc-prompt");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callbacks = new LoopbackRedirectReceiver();
        await visit.GotoAsync(_client.AuthorizePath());
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await visit.Page.GetByLabel("Password").FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await callbacks.NextAsync();

        // Without the parameter the portal's session is enough: straight back with a code.
        await visit.GotoAsync(_client.AuthorizePath());
        OidcTestClient.QueryValue(await callbacks.NextAsync(), "code").ShouldNotBeNullOrEmpty();

        await visit.GotoAsync(_client.AuthorizePath() + "&" + parameter);
        await visit.Page.WaitForURLAsync("**/sign-in?**");
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await visit.Page.GetByLabel("Password").FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var redirect = await callbacks.NextAsync();
        var redeemed = await _client.RedeemAsync(OidcTestClient.QueryValue(redirect, "code")!);
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var idToken = OidcTestClient.Decode((await AccountClient.JsonAsync(redeemed)).GetProperty("id_token").GetString()!).Payload;
        idToken.GetProperty("amr").EnumerateArray().Select(m => m.GetString()).ShouldBe(["pwd"]);
    }

    [Fact]
    public async Task Prompt_none_without_a_sign_in_answers_login_required_to_the_app()
    {
        var response = await _client.Http.GetAsync(_client.AuthorizePath() + "&prompt=none", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).ShouldBe(OidcTestClient.RedirectUri);
        OidcTestClient.QueryValue(location, "error").ShouldBe("login_required");
        OidcTestClient.QueryValue(location, "state").ShouldBe(_client.State);
    }

    private async Task<JsonElement> SignInThroughBrowserAsync(string email)
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callback = new LoopbackRedirectReceiver();
        await visit.GotoAsync(_client.AuthorizePath());
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await visit.Page.GetByLabel("Password").FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        var redirect = await callback.NextAsync();
        var redeemed = await _client.RedeemAsync(OidcTestClient.QueryValue(redirect, "code")!);
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await AccountClient.JsonAsync(redeemed);
    }

    public void Dispose() => _client.Dispose();
}
