using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// A confidential relying party registered by configuration (Oidc__Clients__0__*), the way an operator registers
/// one: its redirect URI is a loopback address nothing listens on; the browser tests catch the redirect there.
/// </summary>
public sealed class OidcTestClient(PortalPlatform platform) : IDisposable
{
    public const string ClientId = "test-app";
    public const string DisplayName = "Test App";
    public const string Secret = "test-app-secret-9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60";
    public const string RedirectUri = "http://127.0.0.1:5599/callback";

    /// <summary>Declared before <see cref="Registration"/>, which reads it (static initialisers run in order).</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(20);

    public static IReadOnlyDictionary<string, string?> Registration { get; } = new Dictionary<string, string?>
    {
        ["Oidc__Clients__0__ClientId"] = ClientId,
        ["Oidc__Clients__0__DisplayName"] = DisplayName,
        ["Oidc__Clients__0__ClientSecretHash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret))),
        ["Oidc__Clients__0__RedirectUris__0"] = RedirectUri,
        ["Oidc__Clients__0__PostLogoutRedirectUris__0"] = "http://127.0.0.1:5599/signed-out",
        ["Oidc__Clients__0__Scopes__0"] = "openid",
        ["Oidc__Clients__0__Scopes__1"] = "profile",
        ["Oidc__Clients__0__Scopes__2"] = "email",
        ["Oidc__Clients__0__Scopes__3"] = "offline_access",
        // Long enough for any test to redeem its code, short enough for the expired-code test to wait it out.
        ["Oidc__AuthorizationCodeLifetime"] = CodeLifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A client of the gateway that shows redirects instead of following them.</summary>
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(platform.Fleet.PublicBaseUrl) };

    public string Verifier { get; } = Base64Url(RandomNumberGenerator.GetBytes(32));

    public string State { get; } = Base64Url(RandomNumberGenerator.GetBytes(16));

    public string Challenge => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public string AuthorizePath(string scope = "openid profile email offline_access", string? method = "S256",
        string clientId = ClientId, string redirectUri = RedirectUri)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = scope,
            ["state"] = State,
            ["nonce"] = "n-" + State,
        };
        if (method is not null)
        {
            query["code_challenge"] = method == "plain" ? Verifier : Challenge;
            query["code_challenge_method"] = method;
        }
        return "/connect/authorize?" + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
    }

    public Task<HttpResponseMessage> RedeemAsync(string code, string secret = Secret, string? verifier = "", string redirectUri = RedirectUri)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri };
        if (verifier is not null)
        {
            form["code_verifier"] = verifier.Length > 0 ? verifier : Verifier;
        }
        return TokenRequestAsync(secret, form);
    }

    /// <summary>POST /connect/introspect as this client (RFC 7662): is the token still active?</summary>
    public Task<HttpResponseMessage> IntrospectAsync(string token) =>
        TokenRequestAsync(Secret, new() { ["token"] = token }, "/connect/introspect");

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        TokenRequestAsync(Secret, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    private async Task<HttpResponseMessage> TokenRequestAsync(string secret, Dictionary<string, string> form, string path = "/connect/token")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(secret)}")));
        return await Http.SendAsync(request);
    }

    /// <summary>The OAuth error code of a token-endpoint answer.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;

    public static string? QueryValue(Uri uri, string name) => uri.Query.TrimStart('?').Split('&')
        .Select(pair => pair.Split('=', 2)).Where(pair => pair[0] == name)
        .Select(pair => Uri.UnescapeDataString(pair.ElementAtOrDefault(1)?.Replace('+', ' ') ?? "")).FirstOrDefault();

    /// <summary>A JWT's header and payload (the signature is checked by key id against the platform's JWKS in the tests).</summary>
    public static (JsonElement Header, JsonElement Payload) Decode(string jwt)
    {
        var parts = jwt.Split('.');
        return (Part(parts[0]), Part(parts[1]));

        static JsonElement Part(string part)
        {
            var base64 = part.Replace('-', '+').Replace('_', '/');
            return JsonDocument.Parse(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='))).RootElement.Clone();
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => Http.Dispose();
}

/// <summary>
/// The test client's redirect URI as a real loopback listener (as a native app would run one, RFC 8252 §7.3): it
/// answers "back" and hands each redirect it received to the test.
/// </summary>
public sealed class LoopbackRedirectReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly System.Threading.Channels.Channel<Uri> _received = System.Threading.Channels.Channel.CreateUnbounded<Uri>();

    public LoopbackRedirectReceiver()
    {
        _listener.Prefixes.Add(new Uri(OidcTestClient.RedirectUri).GetLeftPart(UriPartial.Authority) + "/");
        _listener.Start();
        _ = Task.Run(() => LoopbackListener.ServeAsync(_listener, ReceiveAsync));
    }

    /// <summary>The next redirect the browser brought here; a flow that never gets here fails the test instead of hanging it.</summary>
    /// <remarks>
    /// The browser's navigation is still under way when the request arrives here: the test waits until it has landed,
    /// or its next navigation would be cut short by this one.
    /// </remarks>
    public async Task<Uri> NextAsync(IPage page)
    {
        var redirect = await _received.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask()
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        try
        {
            // Briefly: the code it carries dies after CodeLifetime, so the page's wait must not eat the time to redeem it.
            await page.WaitForURLAsync(url => url.StartsWith(OidcTestClient.RedirectUri, StringComparison.Ordinal),
                new() { WaitUntil = WaitUntilState.Commit, Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // The redirect arrived, which is what the tests assert; a browser slow to show this page must not fail one.
        }
        return redirect;
    }

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        if (context.Request.Url!.AbsolutePath != new Uri(OidcTestClient.RedirectUri).AbsolutePath)
        {
            // The browser's own requests (/favicon.ico after the page) are not redirects.
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }
        _received.Writer.TryWrite(context.Request.Url!);
        var body = Encoding.UTF8.GetBytes("<!doctype html><html lang=\"en\"><head><title>Back in the app</title></head><body><main><h1>Back in the app</h1></main></body></html>");
        context.Response.ContentType = "text/html";
        context.Response.ContentLength64 = body.Length;
        // One request per connection: no socket of this listener outlives the test.
        context.Response.KeepAlive = false;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    public void Dispose() => _listener.Close();
}
