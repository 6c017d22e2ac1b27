using System.Net;
using System.Security.Cryptography;
using System.Text;
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

        await StartAsync(visit, _client.AuthorizePath());
        await visit.Page.WaitForURLAsync("**/sign-in?**");
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.WaitForURLAsync("**/consent?**");
        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = $"Allow {OidcTestClient.DisplayName}?" }).WaitForAsync();
        (await visit.MainTextAsync()).ShouldContain("Your email address");
        await visit.StepAsync("consent");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        var redirect = await callback.NextAsync(visit.Page);
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
        await StartAsync(visit, _client.AuthorizePath());
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await callbacks.NextAsync(visit.Page);

        // Without the parameter the portal's session is enough: straight back with a code.
        await StartAsync(visit, _client.AuthorizePath());
        OidcTestClient.QueryValue(await callbacks.NextAsync(visit.Page), "code").ShouldNotBeNullOrEmpty();

        await StartAsync(visit, _client.AuthorizePath() + "&" + parameter);
        await visit.Page.WaitForURLAsync("**/sign-in?**");
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        var redirect = await callbacks.NextAsync(visit.Page);
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

    [Fact]
    public async Task Cancel_on_the_consent_page_answers_access_denied_to_the_app_and_remembers_nothing()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("oidc-cancel");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callbacks = new LoopbackRedirectReceiver();
        await StartAsync(visit, _client.AuthorizePath());
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        var redirect = await callbacks.NextAsync(visit.Page);
        OidcTestClient.QueryValue(redirect, "error").ShouldBe("access_denied");
        OidcTestClient.QueryValue(redirect, "state").ShouldBe(_client.State);
        OidcTestClient.QueryValue(redirect, "code").ShouldBeNull();

        // Asked again next time: cancelling is not a remembered answer.
        await StartAsync(visit, _client.AuthorizePath());
        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = $"Allow {OidcTestClient.DisplayName}?" }).WaitForAsync();
    }

    [Fact]
    public async Task A_replayed_code_is_invalid_grant_and_revokes_the_tokens_issued_from_it()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("oidc-replay");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callbacks = new LoopbackRedirectReceiver();
        var code = await AuthorizeAsync(visit, callbacks, email);
        var tokens = await AccountClient.JsonAsync(await _client.RedeemAsync(code));
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        (await ActiveAsync(refreshToken)).ShouldBeTrue();

        // Someone else (an attacker who saw the code) redeems it again: refused, and what it produced dies (RFC 6749 §4.1.2).
        var replay = await _client.RedeemAsync(code);
        replay.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await OidcTestClient.ErrorAsync(replay)).ShouldBe("invalid_grant");
        (await ActiveAsync(refreshToken)).ShouldBeFalse();
        (await ActiveAsync(accessToken)).ShouldBeFalse();
        var refreshed = await _client.RefreshAsync(refreshToken);
        (await OidcTestClient.ErrorAsync(refreshed)).ShouldBe("invalid_grant");
        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userInfoRequest.Headers.Authorization = new("Bearer", accessToken);
        (await _client.Http.SendAsync(userInfoRequest, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_code_is_redeemed_only_with_its_PKCE_verifier_and_redirect_uri_and_before_it_expires()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("oidc-redeem");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callbacks = new LoopbackRedirectReceiver();
        var first = await AuthorizeAsync(visit, callbacks, email);

        // Missing verifier: a required parameter is missing (RFC 6749 §5.2 invalid_request).
        var missing = await _client.RedeemAsync(first, verifier: null);
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await OidcTestClient.ErrorAsync(missing)).ShouldBe("invalid_request");

        // A verifier that does not match the challenge (RFC 7636 §4.6 invalid_grant).
        var wrong = await _client.RedeemAsync(await AuthorizeAsync(visit, callbacks), verifier: new string('x', 64));
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await OidcTestClient.ErrorAsync(wrong)).ShouldBe("invalid_grant");

        // Another redirect URI than the one the code was sent to (RFC 6749 §4.1.3 invalid_grant).
        var elsewhere = await _client.RedeemAsync(await AuthorizeAsync(visit, callbacks), redirectUri: "http://127.0.0.1:5599/other");
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await OidcTestClient.ErrorAsync(elsewhere)).ShouldBe("invalid_grant");

        // Expired (Oidc:AuthorizationCodeLifetime, shortened for these tests).
        var expired = await AuthorizeAsync(visit, callbacks);
        await Task.Delay(OidcTestClient.CodeLifetime + TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        var late = await _client.RedeemAsync(expired);
        late.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await OidcTestClient.ErrorAsync(late)).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Acr_values_mfa_makes_a_session_without_a_second_factor_sign_in_again_with_one()
    {
        var (email, apiTokens) = await _accounts.CreateVerifiedAccountAsync("oidc-step-up");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callbacks = new LoopbackRedirectReceiver();

        // No second factor yet: the app that insists on one is told so, and Cancel answers access_denied.
        var withPassword = await _client.RedeemAsync(await AuthorizeAsync(visit, callbacks, email));
        var pwdToken = OidcTestClient.Decode((await AccountClient.JsonAsync(withPassword)).GetProperty("id_token").GetString()!).Payload;
        pwdToken.GetProperty("acr").GetString().ShouldBe("pwd");
        await StartAsync(visit, _client.AuthorizePath() + "&acr_values=mfa");
        await visit.ExpectHeadingAsync($"{OidcTestClient.DisplayName} asks for two-factor authentication");
        await visit.StepAsync("step-up-needs-a-second-factor");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        OidcTestClient.QueryValue(await callbacks.NextAsync(visit.Page), "error").ShouldBe("access_denied");

        // The person turns on an authenticator app; this browser's session still signed in with the password only.
        var (app, _) = await new TwoFactorSetup(platform).EnableAuthenticatorAppAsync(apiTokens.AccessToken);
        await StartAsync(visit, _client.AuthorizePath() + "&acr_values=mfa");
        await visit.Page.WaitForURLAsync("**/sign-in?**");
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.GetByLabel("Six-digit code").FillAsync(await app.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        var redeemed = await _client.RedeemAsync(OidcTestClient.QueryValue(await callbacks.NextAsync(visit.Page), "code")!);
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var idToken = OidcTestClient.Decode((await AccountClient.JsonAsync(redeemed)).GetProperty("id_token").GetString()!).Payload;
        idToken.GetProperty("acr").GetString().ShouldBe("mfa");
        idToken.GetProperty("amr").EnumerateArray().Select(m => m.GetString()).ShouldBe(["pwd", "otp", "mfa"], ignoreOrder: true);

        // Now the session has its second factor: the next request with acr_values=mfa goes straight back.
        (await AuthorizeAsync(visit, callbacks, acrValues: "mfa")).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task An_app_asking_for_two_factor_gets_a_passkey_sign_in_with_no_password_and_the_passkeys_amr()
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        var email = await AccountPageSteps.SignedInAsync(platform, visit, "oidc-passkey");
        var authenticator = await VirtualAuthenticator.AddAsync(visit);
        await visit.GotoAsync("/account/passkeys");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/passkeys?notice=added");
        await authenticator.PresentAsync(false);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/sign-in?notice=signed-out");
        using var callbacks = new LoopbackRedirectReceiver();

        // The app insists on two factors; the sign-in page it is sent to takes the passkey (one touch, no email, no
        // password), and the person lands on the app's consent page, not on their account page. The signed-out page is
        // left first: its autofill request is still waiting, and a present authenticator would answer it there, signing
        // that page in while the app's sign-in page loads (whose form then no longer matches the browser's session).
        await visit.Page.GotoAsync("about:blank");
        await authenticator.PresentAsync(true);
        await StartAsync(visit, _client.AuthorizePath() + "&acr_values=mfa");
        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = $"Allow {OidcTestClient.DisplayName}?" }).WaitForAsync();
        await visit.StepAsync("consent-after-passkey");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        var redirect = await callbacks.NextAsync(visit.Page);
        OidcTestClient.QueryValue(redirect, "state").ShouldBe(_client.State);
        var redeemed = await _client.RedeemAsync(OidcTestClient.QueryValue(redirect, "code")!);
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK, await redeemed.Content.ReadAsStringAsync());
        var idToken = OidcTestClient.Decode((await AccountClient.JsonAsync(redeemed)).GetProperty("id_token").GetString()!).Payload;
        idToken.GetProperty("email").GetString().ShouldBe(email);
        idToken.GetProperty("acr").GetString().ShouldBe("mfa");
        // RFC 8176: a key held on this one device ("hwk"), unlocked by its user ("user"): two factors in one gesture.
        idToken.GetProperty("amr").EnumerateArray().Select(m => m.GetString()).ShouldBe(["hwk", "user", "mfa"], ignoreOrder: true);
    }

    [Fact]
    public async Task Removing_a_connected_app_on_the_account_page_revokes_its_tokens_and_asks_for_consent_again()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("oidc-connected");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callbacks = new LoopbackRedirectReceiver();
        var tokens = await AccountClient.JsonAsync(await _client.RedeemAsync(await AuthorizeAsync(visit, callbacks, email)));
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        await visit.GotoAsync("/account");
        var section = visit.Page.Locator("#connected-apps");
        await section.GetByText(OidcTestClient.DisplayName).WaitForAsync();
        (await section.InnerTextAsync()).ShouldContain("Your email address");
        await visit.StepAsync("connected-apps");
        await section.GetByRole(AriaRole.Button, new() { Name = $"Remove access for {OidcTestClient.DisplayName}" }).ClickAsync();
        await visit.ExpectHeadingAsync("Connected apps");
        (await visit.MainTextAsync()).ShouldContain($"{OidcTestClient.DisplayName} can no longer use your account.");
        await visit.Page.Locator("#no-connected-apps").WaitForAsync();
        await visit.StepAsync("connected-app-removed");

        (await ActiveAsync(refreshToken)).ShouldBeFalse();
        (await OidcTestClient.ErrorAsync(await _client.RefreshAsync(refreshToken))).ShouldBe("invalid_grant");
        await StartAsync(visit, _client.AuthorizePath());
        await visit.ExpectHeadingAsync($"Allow {OidcTestClient.DisplayName}?");
    }

    [Fact]
    public async Task End_session_with_an_unregistered_post_logout_redirect_uri_is_an_error_page_never_a_redirect()
    {
        var response = await _client.Http.GetAsync(
            $"/connect/endsession?client_id={OidcTestClient.ClientId}&post_logout_redirect_uri={Uri.EscapeDataString("http://127.0.0.1:5599/signed-out/../evil")}",
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await response.Content.ReadAsStringAsync()).ShouldContain("invalid_request");
    }

    [Fact]
    public async Task A_made_up_id_token_hint_sent_straight_to_the_portal_signs_nobody_out()
    {
        var (email, tokens) = await _accounts.CreateVerifiedAccountAsync("oidc-forged-hint");
        var accountId = Payload(tokens.AccessToken).GetProperty("sub").GetString()!;
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword);
        await visit.Page.WaitForURLAsync("**/account");

        // Links made up elsewhere, naming this person: an unsigned hint, and one signed with a key that is not the platform's.
        var claims = JsonSerializer.Serialize(new { iss = platform.Fleet.PublicBaseUrl.TrimEnd('/'), sub = accountId, aud = OidcTestClient.ClientId });
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (var forged in new[] { Jwt("""{"alg":"none","typ":"JWT"}""", claims, null), Jwt("""{"alg":"ES256","typ":"JWT"}""", claims, otherKey) })
        {
            await visit.GotoAsync("/end-session?id_token_hint=" + forged);
            (await visit.GotoAsync("/account"))!.Url.ShouldEndWith("/account", customMessage: "still signed in");
            await visit.ExpectHeadingAsync("Your account");
        }
    }

    private static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(Convert.FromBase64String(Base64Padded(jwt.Split('.')[1]))).RootElement;

    private static string Base64Padded(string base64Url)
    {
        var base64 = base64Url.Replace('-', '+').Replace('_', '/');
        return base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
    }

    private static string Jwt(string header, string payload, ECDsa? key)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var signingInput = Encode(Encoding.UTF8.GetBytes(header)) + "." + Encode(Encoding.UTF8.GetBytes(payload));
        var signature = key is null ? "" : Encode(key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256));
        return signingInput + "." + signature;
    }

    /// <summary>
    /// An authorization in this browser: signs in and allows the app first when <paramref name="email"/> is given
    /// (a new session), otherwise the session and consent are there already. Returns the code the app received.
    /// </summary>
    private async Task<string> AuthorizeAsync(BrowserVisit visit, LoopbackRedirectReceiver callbacks, string? email = null, string? acrValues = null)
    {
        await StartAsync(visit, _client.AuthorizePath() + (acrValues is null ? "" : "&acr_values=" + acrValues));
        if (email is not null)
        {
            await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
            await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        }
        var redirect = await callbacks.NextAsync(visit.Page);
        OidcTestClient.QueryValue(redirect, "state").ShouldBe(_client.State);
        return OidcTestClient.QueryValue(redirect, "code").ShouldNotBeNull();
    }

    /// <summary>What introspection (RFC 7662) says of a token: still active, or revoked/expired.</summary>
    private async Task<bool> ActiveAsync(string token)
    {
        var response = await _client.IntrospectAsync(token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await AccountClient.JsonAsync(response)).GetProperty("active").GetBoolean();
    }

    /// <summary>
    /// Opens an authorization request. Done once the navigation commits: a request the portal can answer at once
    /// goes on by itself (through the "Returning to …" page) to the app's redirect URI.
    /// </summary>
    internal static Task StartAsync(BrowserVisit visit, string authorizePath) =>
        visit.Page.GotoAsync(authorizePath, new() { WaitUntil = WaitUntilState.Commit });

    private async Task<JsonElement> SignInThroughBrowserAsync(string email)
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callback = new LoopbackRedirectReceiver();
        await StartAsync(visit, _client.AuthorizePath());
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        var redirect = await callback.NextAsync(visit.Page);
        var redeemed = await _client.RedeemAsync(OidcTestClient.QueryValue(redirect, "code")!);
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await AccountClient.JsonAsync(redeemed);
    }

    public void Dispose() => _client.Dispose();
}
