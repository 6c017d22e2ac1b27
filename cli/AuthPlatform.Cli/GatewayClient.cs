using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuthPlatform.Cli;

/// <summary>An OAuth 2.0 token response (RFC 6749 §5.1) or the platform's own sign-in tokens.</summary>
public sealed record GrantedTokens(string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken);

/// <summary>HTTP to the gateway: one base address, JSON bodies, and one clear message for every failure.</summary>
public sealed class GatewayClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;

    /// <exception cref="UsageException">Plain http:// to another machine without <paramref name="allowInsecure"/>.</exception>
    public GatewayClient(string gateway, bool allowInsecure = false)
    {
        // Passwords, codes and tokens must not cross a network in clear; on this machine they never leave it.
        var uri = new Uri(gateway);
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback && !allowInsecure)
        {
            throw new UsageException($"refusing plain http:// to {Terminal.Safe(uri.Host)}: passwords and tokens would cross the network "
                + "in clear. Use https://, or pass --insecure if you accept that.");
        }
        Gateway = gateway;
        // Relative paths resolve under a gateway mounted below a path (https://example.com/auth/).
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(gateway + "/"),
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("authplatform-cli", Program.Version));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
    }

    /// <summary>The normalised gateway URL, without a trailing slash.</summary>
    public string Gateway { get; }

    /// <summary>Checks and normalises a gateway URL: absolute http(s), no credentials, query or fragment.</summary>
    public static string Normalize(string url, string source)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new UsageException($"{source} must be an http:// or https:// URL such as http://localhost:8080, not '{url}'");
        }
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    public static HttpRequestMessage Json(HttpMethod method, string path, JsonObject? body = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return request;
    }

    /// <summary>Sends; a network failure or timeout becomes "cannot reach the gateway at …".</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await _http.SendAsync(request, timeout.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"cannot reach the gateway at {Gateway} ({Describe(ex)})");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new CliException($"cannot reach the gateway at {Gateway} (no answer within {Timeout.TotalSeconds:0} s)");
        }
    }

    /// <summary>Sends and fails with the server's message unless the status is a success.</summary>
    public async Task<HttpResponseMessage> SendOrFailAsync(HttpRequestMessage request)
    {
        var response = await SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw new CliException(await ErrorMessageAsync(response));
            }
        }
        return response;
    }

    public async Task<JsonElement> SendForJsonAsync(HttpRequestMessage request)
    {
        using var response = await SendOrFailAsync(request);
        return await ReadJsonAsync(response);
    }

    /// <summary>
    /// The client credentials grant (RFC 6749 §4.4) with HTTP Basic client authentication (§2.3.1: the id and the
    /// secret are each form-urlencoded before base64).
    /// </summary>
    public async Task<(GrantedTokens? Tokens, HttpStatusCode Status, string? Error)> ClientCredentialsAsync(string accessKeyId, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(FormEncode(accessKeyId) + ":" + FormEncode(secret)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        using var response = await SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return (null, response.StatusCode, await ErrorMessageAsync(response));
        }
        var json = await ReadJsonAsync(response);
        var tokenType = json.String("token_type");
        if (!string.Equals(tokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"the gateway answered with an unsupported token type '{tokenType}'");
        }
        return (new GrantedTokens(json.RequiredString("access_token"), ExpiresAt(json.Int("expires_in")), null), response.StatusCode, null);
    }

    /// <summary>The platform's <c>{accessToken,refreshToken,expiresIn,tokenType}</c>.</summary>
    public static GrantedTokens SessionTokens(JsonElement json) =>
        new(json.RequiredString("accessToken"), ExpiresAt(json.Int("expiresIn")), json.RequiredString("refreshToken"));

    /// <summary>One line for a failed answer: problem+json detail or title, OAuth error_description or error.</summary>
    public static async Task<string> ErrorMessageAsync(HttpResponseMessage response)
    {
        string? message = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync();
            if (text.Length > 0)
            {
                using var document = JsonDocument.Parse(text);
                var json = document.RootElement;
                message = json.String("detail") ?? TitleWithFirstError(json) ?? json.String("error_description") ?? OAuthError(json.String("error"));
            }
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
        }
        message = Terminal.Safe(message);
        if (message.Length == 0)
        {
            message = $"the gateway answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        if (response.Headers.RetryAfter?.Delta is { } wait && !message.Contains("second", StringComparison.OrdinalIgnoreCase))
        {
            message += $" (retry after {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s)";
        }
        return message;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync();
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException($"the gateway answered {(int)response.StatusCode} with something that is not JSON");
        }
    }

    public void Dispose() => _http.Dispose();

    private static DateTimeOffset ExpiresAt(int? expiresIn) =>
        // Without expires_in, assume the platform's 15 minutes; the token is refreshed on a 401 anyway.
        DateTimeOffset.UtcNow.AddSeconds(expiresIn is > 0 ? expiresIn.Value : 900);

    private static string? TitleWithFirstError(JsonElement json)
    {
        var title = json.String("title");
        if (title is null)
        {
            return null;
        }
        if (json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                if (field.Value.ValueKind == JsonValueKind.Array && field.Value.GetArrayLength() > 0 && field.Value[0].ValueKind == JsonValueKind.String)
                {
                    return $"{title} {field.Value[0].GetString()}";
                }
            }
        }
        return title;
    }

    private static string? OAuthError(string? error) => error switch
    {
        null => null,
        "invalid_client" => "the access key ID or secret is wrong, or the key was revoked (invalid_client)",
        "unauthorized_client" => "this access key may not ask for tokens (unauthorized_client)",
        "unsupported_grant_type" => "the gateway does not accept access keys (unsupported_grant_type)",
        _ => error,
    };

    private static string Describe(HttpRequestException ex)
    {
        var message = ex.Message;
        // "An error occurred while sending the request." says nothing: the inner exception says what happened.
        if (ex.InnerException is { Message.Length: > 0 } inner && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message = ex.HttpRequestError == HttpRequestError.Unknown ? $"{message} {inner.Message}" : inner.Message;
        }
        return Terminal.Safe(message);
    }

    /// <summary>application/x-www-form-urlencoded (RFC 6749 Appendix B): keep [A-Za-z0-9*-._], space as +, the rest %XX of UTF-8.</summary>
    public static string FormEncode(string value)
    {
        var encoded = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '*' or '-' or '.' or '_')
            {
                encoded.Append(c);
            }
            else if (c == ' ')
            {
                encoded.Append('+');
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }
}

/// <summary>Lenient readers for the gateway's JSON answers.</summary>
public static class JsonFields
{
    public static string? String(this JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static string RequiredString(this JsonElement json, string name) =>
        json.String(name) is { Length: > 0 } value
            ? value
            : throw new CliException($"the gateway's answer has no '{name}'");

    public static int? Int(this JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    public static bool Bool(this JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public static JsonElement? Object(this JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    public static IReadOnlyList<string> Strings(this JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}
