using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using AuthPlatform.AppHost;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// A person at the fake Google: its stable <paramref name="Subject"/>, address and whether Google verified it.
/// <paramref name="WrongNonce"/> and <paramref name="WrongState"/> make the fake answer like an attacker replaying
/// another sign-in's answer (an ID token for another nonce, a redirect with another state).
/// </summary>
public sealed record GoogleUser(string Subject, string Email, bool EmailVerified = true, bool WrongNonce = false, bool WrongState = false)
{
    public static GoogleUser New(string email, bool emailVerified = true) => new(RandomNumberGenerator.GetHexString(21, lowercase: true), email, emailVerified);
}

/// <summary>An authorization request as the fake received it (what the portal's handler sent).</summary>
public sealed record GoogleAuthorizationRequest(string ClientId, string RedirectUri, string Scope, string? State, string? Nonce,
    string? CodeChallenge, string? CodeChallengeMethod);

/// <summary>
/// A fake Google for tests: a small OpenID Connect provider on a free loopback port with a discovery document,
/// JWKS (RS256), an authorization endpoint that signs in whoever the browser "is" at Google
/// (<see cref="SignInAsAsync"/> sets a cookie on the fake's own host), and a token endpoint that checks the client's
/// secret, the redirect URI and the PKCE verifier (S256) and answers an ID token with <c>sub</c>, <c>email</c>,
/// <c>email_verified</c> and the request's <c>nonce</c>. Codes work once.
/// </summary>
public sealed class FakeGoogle : IAsyncDisposable
{
    public const string UserCookie = "fake_google_user";

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = RandomNumberGenerator.GetHexString(16, lowercase: true);
    private readonly ConcurrentDictionary<string, GoogleUser> _users = new();
    private readonly ConcurrentDictionary<string, (GoogleUser User, GoogleAuthorizationRequest Request)> _codes = new();
    private readonly ConcurrentQueue<GoogleAuthorizationRequest> _requests = new();
    private HttpListener? _listener;
    private Task? _loop;

    public string ClientId { get; } = "fake-google-client-" + RandomNumberGenerator.GetHexString(8, lowercase: true);

    public string ClientSecret { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary><c>http://127.0.0.1:{port}</c>: the issuer, for <c>Google__Authority</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The portal's settings that point "Sign in with Google" here.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["Google__Authority"] = BaseUrl,
        ["Google__ClientId"] = ClientId,
        ["Google__ClientSecret"] = ClientSecret,
    };

    /// <summary>The authorization requests received, oldest first.</summary>
    public IReadOnlyList<GoogleAuthorizationRequest> AuthorizationRequests => [.. _requests];

    /// <summary>Starts listening on a free loopback port (synchronously, so a fixture can name the URL in its settings).</summary>
    public FakeGoogle Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = Ports.Free();
            var candidate = new HttpListener();
            candidate.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                candidate.Start();
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                candidate.Close();
                continue;
            }
            _listener = candidate;
            BaseUrl = $"http://127.0.0.1:{port}";
            _loop = Task.Run(() => LoopbackListener.ServeAsync(candidate, HandleOrFailAsync));
            return this;
        }
    }

    /// <summary>The browser of <paramref name="context"/> is signed in at Google as <paramref name="user"/>.</summary>
    public async Task SignInAsAsync(IBrowserContext context, GoogleUser user)
    {
        var key = RandomNumberGenerator.GetHexString(24, lowercase: true);
        _users[key] = user;
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = UserCookie, Value = key, Url = BaseUrl + "/" }]);
    }

    /// <summary>A request the fake cannot answer fails with its reason, for the test's log.</summary>
    private async Task HandleOrFailAsync(HttpListenerContext context)
    {
        try
        {
            await HandleAsync(context);
        }
        catch (Exception ex) when (ex is not (HttpListenerException or ObjectDisposedException or IOException))
        {
            await WriteAsync(context.Response, 500, "text/plain", ex.Message);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        switch (request.Url!.AbsolutePath)
        {
            case "/.well-known/openid-configuration":
                await WriteJsonAsync(response, 200, new Dictionary<string, object>
                {
                    ["issuer"] = BaseUrl,
                    ["authorization_endpoint"] = BaseUrl + "/o/oauth2/v2/auth",
                    ["token_endpoint"] = BaseUrl + "/token",
                    ["jwks_uri"] = BaseUrl + "/oauth2/v3/certs",
                    ["response_types_supported"] = new[] { "code" },
                    ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    ["scopes_supported"] = new[] { "openid", "email", "profile" },
                    ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
                    ["code_challenge_methods_supported"] = new[] { "S256" },
                    ["claims_supported"] = new[] { "sub", "email", "email_verified", "iss", "aud", "iat", "exp", "nonce" },
                });
                return;
            case "/oauth2/v3/certs":
                var parameters = _key.ExportParameters(false);
                await WriteJsonAsync(response, 200, new
                {
                    keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = _keyId, n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) } },
                });
                return;
            case "/o/oauth2/v2/auth":
                await AuthorizeAsync(request, response);
                return;
            case "/token" when request.HttpMethod == "POST":
                await TokenAsync(request, response);
                return;
            default:
                await WriteAsync(response, 404, "text/plain", "not found");
                return;
        }
    }

    private async Task AuthorizeAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        var query = request.QueryString;
        var authorization = new GoogleAuthorizationRequest(query["client_id"] ?? "", query["redirect_uri"] ?? "", query["scope"] ?? "",
            query["state"], query["nonce"], query["code_challenge"], query["code_challenge_method"]);
        _requests.Enqueue(authorization);
        // Google shows its own error page for these, never a redirect.
        if (authorization.ClientId != ClientId || !Uri.TryCreate(authorization.RedirectUri, UriKind.Absolute, out var redirect) || !redirect.IsLoopback)
        {
            await WriteAsync(response, 400, "text/html", "<html><body><h1>Error 400: invalid_request</h1><p>Unknown client or redirect URI.</p></body></html>");
            return;
        }
        if (query["response_type"] != "code" || authorization.CodeChallengeMethod != "S256" || string.IsNullOrEmpty(authorization.CodeChallenge))
        {
            Redirect(response, authorization.RedirectUri, new() { ["error"] = "invalid_request", ["state"] = authorization.State });
            return;
        }
        if (request.Cookies[UserCookie]?.Value is not { } key || !_users.TryGetValue(key, out var user))
        {
            await WriteAsync(response, 200, "text/html", "<html><body><h1>Sign in to Google</h1><p>No one is signed in at the fake Google.</p></body></html>");
            return;
        }
        var code = RandomNumberGenerator.GetHexString(32, lowercase: true);
        _codes[code] = (user, authorization);
        var state = user.WrongState ? "forged-" + RandomNumberGenerator.GetHexString(16, lowercase: true) : authorization.State;
        Redirect(response, authorization.RedirectUri, new() { ["code"] = code, ["state"] = state });
    }

    private async Task TokenAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var form = HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
        var (clientId, clientSecret) = (form["client_id"], form["client_secret"]);
        if (request.Headers["Authorization"] is { } authorization && authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..])).Split(':', 2);
            (clientId, clientSecret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }
        if (clientId != ClientId || clientSecret != ClientSecret)
        {
            await WriteJsonAsync(response, 401, new { error = "invalid_client" });
            return;
        }
        if (form["grant_type"] != "authorization_code" || form["code"] is not { } code || !_codes.TryRemove(code, out var issued)
            || form["redirect_uri"] != issued.Request.RedirectUri || form["code_verifier"] is not { } verifier
            || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != issued.Request.CodeChallenge)
        {
            await WriteJsonAsync(response, 400, new { error = "invalid_grant" });
            return;
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = BaseUrl,
            ["azp"] = ClientId,
            ["aud"] = ClientId,
            ["sub"] = issued.User.Subject,
            ["email"] = issued.User.Email,
            ["email_verified"] = issued.User.EmailVerified,
            ["iat"] = now,
            ["exp"] = now + 3600,
            ["nonce"] = issued.User.WrongNonce ? "another-sign-in-" + RandomNumberGenerator.GetHexString(16, lowercase: true) : issued.Request.Nonce,
        };
        await WriteJsonAsync(response, 200, new Dictionary<string, object>
        {
            ["access_token"] = RandomNumberGenerator.GetHexString(40, lowercase: true),
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["scope"] = issued.Request.Scope,
            ["id_token"] = SignedJwt(claims),
        });
    }

    private string SignedJwt(Dictionary<string, object?> claims)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", kid = _keyId, typ = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static void Redirect(HttpListenerResponse response, string redirectUri, Dictionary<string, string?> parameters)
    {
        var query = string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
        response.StatusCode = 302;
        response.RedirectLocation = redirectUri + (redirectUri.Contains('?') ? '&' : '?') + query;
        response.Close();
    }

    private static Task WriteJsonAsync(HttpListenerResponse response, int status, object body) =>
        WriteAsync(response, status, "application/json", JsonSerializer.Serialize(body));

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        if (_listener is null)
        {
            return;
        }
        _listener.Stop();
        _listener.Close();
        if (_loop is not null)
        {
            await _loop;
        }
        _key.Dispose();
    }
}
