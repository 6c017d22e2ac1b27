using System.Net;
using System.Text.Json.Nodes;

namespace AuthPlatform.Cli;

/// <summary>
/// Authenticated calls with the stored credentials. An access token that has expired, or expires within 30 s, is
/// replaced first: with the refresh token (rotation: the new pair is stored) or, after <c>login --access-key</c>,
/// with a fresh client-credentials token. A 401 on a token we thought valid gets one refresh and one retry.
/// </summary>
public sealed class Session(GatewayClient gateway, CredentialStore store, Credentials credentials) : IDisposable
{
    public const string Expired = "Your session has expired; run `authplatform login`.";
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    public Credentials Credentials { get; private set; } = credentials;

    public GatewayClient Gateway => gateway;

    /// <summary>Sends the request <paramref name="make"/> builds for a bearer token; fails with one clear message.</summary>
    public async Task<HttpResponseMessage> SendOrFailAsync(Func<string, HttpRequestMessage> make)
    {
        var refreshed = await EnsureFreshAsync(force: false);
        var response = await SendWithTokenAsync(make);
        if (response.StatusCode == HttpStatusCode.Unauthorized && !refreshed)
        {
            response.Dispose();
            await EnsureFreshAsync(force: true);
            response = await SendWithTokenAsync(make);
        }
        if (response.StatusCode == HttpStatusCode.Forbidden && await HasProblemTypeAsync(response, "reauthentication-required"))
        {
            // A sensitive change from a session signed in a while ago: confirm the password (and code), then once more.
            response.Dispose();
            await ReauthenticateAsync();
            response = await SendWithTokenAsync(make);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized && (response.Content.Headers.ContentLength ?? 0) == 0)
            {
                throw new CliException(ExpiredMessage());
            }
            throw new CliException(await GatewayClient.ErrorMessageAsync(response));
        }
    }

    public async Task<System.Text.Json.JsonElement> SendForJsonAsync(Func<string, HttpRequestMessage> make)
    {
        using var response = await SendOrFailAsync(make);
        return await GatewayClient.ReadJsonAsync(response);
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(Func<string, HttpRequestMessage> make)
    {
        using var request = make(Credentials.AccessToken);
        return await gateway.SendAsync(request);
    }

    /// <summary>Replaces the access token when it is (nearly) expired, or always when <paramref name="force"/>; true if replaced.</summary>
    private async Task<bool> EnsureFreshAsync(bool force)
    {
        if (!force && Credentials.AccessTokenExpiresAt - Margin > DateTimeOffset.UtcNow)
        {
            return false;
        }
        using (await store.LockAsync())
        {
            // Another command may have refreshed meanwhile: its tokens are ours now (our refresh token is spent).
            var latest = store.Load() ?? throw new CliException("Not signed in; run `authplatform login`.");
            if (latest.Gateway != Credentials.Gateway)
            {
                throw new CliException($"you signed in to {latest.Gateway} meanwhile; run the command again");
            }
            if (latest.AccessToken != Credentials.AccessToken && latest.AccessTokenExpiresAt - Margin > DateTimeOffset.UtcNow)
            {
                Credentials = latest;
                return true;
            }

            var next = latest;
            GrantedTokens tokens;
            if (next.RefreshToken is { } refreshToken)
            {
                using var request = GatewayClient.Json(HttpMethod.Post, "api/sessions/refresh", new JsonObject { ["refreshToken"] = refreshToken });
                using var response = await gateway.SendAsync(request);
                if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
                {
                    throw new CliException(Expired);
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw new CliException(await GatewayClient.ErrorMessageAsync(response));
                }
                tokens = GatewayClient.SessionTokens(await GatewayClient.ReadJsonAsync(response));
            }
            else if (next.UsesAccessKey)
            {
                var (issued, status, error) = await gateway.ClientCredentialsAsync(next.AccessKeyId!, next.Secret!);
                if (issued is null)
                {
                    throw new CliException(status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized
                        ? $"the access key {Terminal.Safe(next.AccessKeyId)} no longer works: {error}; run `authplatform login --access-key` with a valid key"
                        : error!);
                }
                tokens = issued;
            }
            else
            {
                throw new CliException(Expired);
            }

            next.AccessToken = tokens.AccessToken;
            next.AccessTokenExpiresAt = tokens.ExpiresAt;
            if (tokens.RefreshToken is not null)
            {
                next.RefreshToken = tokens.RefreshToken;
            }
            store.Save(next);
            Credentials = next;
            return true;
        }
    }

    private static async Task<bool> HasProblemTypeAsync(HttpResponseMessage response, string type)
    {
        await response.Content.LoadIntoBufferAsync();
        try
        {
            return (await GatewayClient.ReadJsonAsync(response)).String("type")?.EndsWith("/" + type, StringComparison.Ordinal) == true;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or CliException)
        {
            return false;
        }
    }

    /// <summary>POST /api/sessions/reauthenticate with the password, and the second factor when the account has one.</summary>
    private async Task ReauthenticateAsync()
    {
        Console.Out.WriteLine("This change needs you to confirm it is you.");
        var password = Terminal.PromptSecret("Password: ") ?? throw new CliException("no password was given");
        var body = new JsonObject { ["password"] = password };
        for (var round = 0; ; round++)
        {
            using var request = GatewayClient.Json(HttpMethod.Post, "api/sessions/reauthenticate", body);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Credentials.AccessToken);
            using var response = await gateway.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                var json = await GatewayClient.ReadJsonAsync(response);
                using (await store.LockAsync())
                {
                    var next = store.Load() ?? Credentials;
                    next.AccessToken = json.RequiredString("accessToken");
                    next.AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddSeconds(json.Int("expiresIn") ?? 0);
                    store.Save(next);
                    Credentials = next;
                }
                return;
            }
            if (round == 0 && response.StatusCode == HttpStatusCode.Forbidden && await HasProblemTypeAsync(response, "second-factor-required"))
            {
                var methods = (await GatewayClient.ReadJsonAsync(response)).TryGetProperty("methods", out var m)
                    ? m.EnumerateArray().Select(e => e.GetString()).ToList() : [];
                var primary = methods.FirstOrDefault(x => x is "totp" or "sms");
                if (primary == "sms")
                {
                    throw new CliException("confirming with a text message is not available in the CLI yet; sign in again with `authplatform login`");
                }
                var input = Terminal.Prompt("Two-factor code (or a recovery code): ")?.Trim() ?? throw new CliException("no two-factor code was given");
                var digits = input.Replace(" ", "", StringComparison.Ordinal);
                var isTotp = primary is not null && digits.Length == 6 && digits.All(char.IsAsciiDigit);
                body = new JsonObject { ["password"] = password, ["method"] = isTotp ? primary : "recovery_code", ["code"] = isTotp ? digits : input };
                continue;
            }
            throw new CliException(await GatewayClient.ErrorMessageAsync(response));
        }
    }

    private string ExpiredMessage() => Credentials.UsesAccessKey && Credentials.RefreshToken is null
        ? $"the gateway refused the token for access key {Terminal.Safe(Credentials.AccessKeyId)}; run `authplatform login --access-key`"
        : Expired;

    public void Dispose() => gateway.Dispose();
}
