using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuthPlatform.Cli;

/// <summary>The commands. Output goes to stdout; a failure is thrown as a <see cref="CliException"/>.</summary>
public sealed class Commands(string? explicitGateway, CredentialStore store, bool insecure = false)
{
    private const string NotSignedIn = "Not signed in; run `authplatform login`.";
    private const int MaxCodeAttempts = 3;

    /// <param name="remember">Tick "Remember this device": the second step's new device token is kept for the next logins.</param>
    public async Task<int> LoginAsync(bool remember = false)
    {
        var previous = LoadQuietly();
        using var gateway = new GatewayClient(explicitGateway ?? previous?.Gateway ?? Program.DefaultGateway, insecure);

        var email = Terminal.Prompt("Email: ")?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            throw new CliException("an email address is required");
        }
        var password = Terminal.PromptSecret("Password: ");
        if (string.IsNullOrEmpty(password))
        {
            throw new CliException("a password is required");
        }

        JsonElement answer;
        var signIn = new JsonObject { ["email"] = email, ["password"] = password };
        if (store.LoadDeviceToken(gateway.Gateway, email) is { } knownDevice)
        {
            signIn["deviceToken"] = knownDevice;
        }
        using (var request = GatewayClient.Json(HttpMethod.Post, "api/sessions", signIn))
        {
            answer = await gateway.SendForJsonAsync(request);
        }
        if (answer.String("deviceToken") is { Length: > 0 } deviceToken)
        {
            using (await store.LockAsync())
            {
                store.SaveDeviceToken(gateway.Gateway, email, deviceToken);
            }
        }
        GrantedTokens tokens;
        if (answer.Bool("mfaRequired"))
        {
            var (issued, rememberedToken) = await SecondFactorAsync(gateway, answer.RequiredString("mfaToken"), answer.Strings("methods"), remember);
            tokens = issued;
            if (rememberedToken is not null)
            {
                using (await store.LockAsync())
                {
                    store.SaveDeviceToken(gateway.Gateway, email, rememberedToken);
                }
                Console.Out.WriteLine("This machine is remembered: its next logins skip the two-factor code.");
            }
        }
        else
        {
            tokens = GatewayClient.SessionTokens(answer);
        }

        await SaveAsync(new Credentials
        {
            Gateway = gateway.Gateway,
            AccessToken = tokens.AccessToken,
            AccessTokenExpiresAt = tokens.ExpiresAt,
            RefreshToken = tokens.RefreshToken,
        });
        await EndPreviousSessionAsync(gateway, previous);
        Console.Out.WriteLine($"Signed in to {gateway.Gateway} as {Terminal.Safe(email)}.");
        return ExitCodes.Success;
    }

    /// <summary>The second step: a 6-digit code (authenticator app or text message) or a recovery code; the device token when remembered.</summary>
    private static async Task<(GrantedTokens Tokens, string? DeviceToken)> SecondFactorAsync(GatewayClient gateway, string mfaToken,
        IReadOnlyList<string> methods, bool remember)
    {
        var primary = methods.FirstOrDefault(m => m is "totp" or "sms");
        var recovery = methods.Contains("recovery_code") ? ", or a recovery code" : "";
        Console.Out.WriteLine(primary switch
        {
            "totp" => $"Two-factor authentication: enter the code from your authenticator app{recovery}.",
            "sms" => $"Two-factor authentication: enter the code we texted you{recovery}. Type r to get a new text.",
            _ => "Two-factor authentication: enter a recovery code.",
        });

        var interactive = !Console.IsInputRedirected;
        for (var attempt = 1; ;)
        {
            var input = Terminal.Prompt("Code: ")?.Trim() ?? throw new CliException("no two-factor code was given");
            if (input.Length == 0)
            {
                continue;
            }
            if (primary == "sms" && input.Equals("r", StringComparison.OrdinalIgnoreCase))
            {
                using var resend = GatewayClient.Json(HttpMethod.Post, "api/sessions/mfa/sms", new JsonObject { ["mfaToken"] = mfaToken });
                using var sent = await gateway.SendAsync(resend);
                Console.Out.WriteLine(sent.IsSuccessStatusCode
                    ? "We texted you a new code."
                    : $"No new text was sent: {await GatewayClient.ErrorMessageAsync(sent)}");
                continue;
            }

            var digits = input.Replace(" ", "", StringComparison.Ordinal);
            var (method, code) = primary is not null && digits.Length == 6 && digits.All(char.IsAsciiDigit)
                ? (primary, digits)
                : ("recovery_code", input);
            using var request = GatewayClient.Json(HttpMethod.Post, "api/sessions/mfa",
                new JsonObject { ["mfaToken"] = mfaToken, ["method"] = method, ["code"] = code, ["rememberDevice"] = remember });
            using var response = await gateway.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                var answer = await GatewayClient.ReadJsonAsync(response);
                return (GatewayClient.SessionTokens(answer), answer.String("deviceToken") is { Length: > 0 } deviceToken ? deviceToken : null);
            }
            var message = await GatewayClient.ErrorMessageAsync(response);
            // On a terminal a mistyped code can be typed again (the sign-in stays open); from a script it fails at once.
            if (interactive && ++attempt <= MaxCodeAttempts && await IsWrongCodeAsync(response))
            {
                Console.Out.WriteLine($"That code did not work: {message}");
                continue;
            }
            throw new CliException(message);
        }
    }

    private static async Task<bool> IsWrongCodeAsync(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized))
        {
            return false;
        }
        var type = (await GatewayClient.ReadJsonAsync(response)).String("type") ?? "";
        return type.EndsWith("/invalid-code", StringComparison.Ordinal) || type.EndsWith("/invalid-request", StringComparison.Ordinal);
    }

    public async Task<int> LoginWithAccessKeyAsync()
    {
        var previous = LoadQuietly();
        using var gateway = new GatewayClient(explicitGateway ?? previous?.Gateway ?? Program.DefaultGateway, insecure);

        var accessKeyId = FromEnvironment("AUTHPLATFORM_ACCESS_KEY_ID") ?? Terminal.Prompt("Access key ID: ")?.Trim();
        if (string.IsNullOrEmpty(accessKeyId))
        {
            throw new CliException("an access key ID is required (AUTHPLATFORM_ACCESS_KEY_ID)");
        }
        var secret = FromEnvironment("AUTHPLATFORM_SECRET") ?? Terminal.PromptSecret("Secret: ")?.Trim();
        if (string.IsNullOrEmpty(secret))
        {
            throw new CliException("the access key's secret is required (AUTHPLATFORM_SECRET)");
        }

        var (tokens, _, error) = await gateway.ClientCredentialsAsync(accessKeyId, secret);
        if (tokens is null)
        {
            throw new CliException(error!);
        }
        await SaveAsync(new Credentials
        {
            Gateway = gateway.Gateway,
            AccessToken = tokens.AccessToken,
            AccessTokenExpiresAt = tokens.ExpiresAt,
            AccessKeyId = accessKeyId,
            Secret = secret,
        });
        await EndPreviousSessionAsync(gateway, previous);
        Console.Out.WriteLine($"Signed in to {gateway.Gateway} with access key {Terminal.Safe(accessKeyId)}.");
        return ExitCodes.Success;
    }

    public async Task<int> LogoutAsync()
    {
        Credentials? credentials;
        try
        {
            credentials = store.Load();
        }
        catch (CliException)
        {
            // A damaged file holds nothing we could revoke: just remove it.
            store.Delete();
            Console.Out.WriteLine("Signed out.");
            return ExitCodes.Success;
        }
        if (credentials is null)
        {
            Console.Out.WriteLine("Not signed in.");
            return ExitCodes.Success;
        }

        string? failure = null;
        if (credentials.RefreshToken is { } refreshToken)
        {
            try
            {
                using var gateway = new GatewayClient(credentials.Gateway, insecure);
                using var request = GatewayClient.Json(HttpMethod.Delete, "api/sessions/current", new JsonObject { ["refreshToken"] = refreshToken });
                using var response = await gateway.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    failure = await GatewayClient.ErrorMessageAsync(response);
                }
            }
            catch (CliException ex)
            {
                failure = ex.Message;
            }
        }
        using (await store.LockAsync())
        {
            store.Delete();
        }
        if (failure is not null)
        {
            throw new CliException($"the local credentials are deleted, but the session could not be ended at the gateway: {failure}");
        }
        Console.Out.WriteLine(credentials.UsesAccessKey
            ? $"Signed out. The access key {Terminal.Safe(credentials.AccessKeyId)} still works until you revoke it (authplatform keys revoke)."
            : "Signed out.");
        return ExitCodes.Success;
    }

    public async Task<int> WhoAmIAsync()
    {
        using var session = OpenSession();
        var me = await session.SendForJsonAsync(token => GatewayClient.Json(HttpMethod.Get, "api/accounts/me", bearer: token));
        var mfa = me.Object("mfa");
        Console.Out.WriteLine($"Email: {Terminal.Safe(me.String("email"))}");
        Console.Out.WriteLine($"ID: {Terminal.Safe(me.String("id"))}");
        Console.Out.WriteLine($"Email verified: {(me.Bool("emailVerified") ? "yes" : "no")}");
        Console.Out.WriteLine($"2FA: {TwoFactor(mfa is { } m && m.Bool("enabled"), mfa?.String("method"))}");
        if (session.Credentials.UsesAccessKey)
        {
            Console.Out.WriteLine($"Signed in with access key: {Terminal.Safe(session.Credentials.AccessKeyId)}");
        }
        Console.Out.WriteLine($"Gateway: {session.Credentials.Gateway}");
        return ExitCodes.Success;
    }

    public async Task<int> CreateKeyAsync(string name)
    {
        name = name.Trim();
        if (name.Length == 0)
        {
            throw new UsageException("usage: authplatform keys create NAME");
        }
        using var session = OpenSession();
        var key = await session.SendForJsonAsync(token =>
            GatewayClient.Json(HttpMethod.Post, "api/access-keys", new JsonObject { ["name"] = name }, token));
        var accessKeyId = Terminal.Safe(key.RequiredString("accessKeyId"));
        var secret = Terminal.Safe(key.RequiredString("secret"));
        Console.Out.WriteLine($"Created access key \"{Terminal.Safe(key.String("name") ?? name)}\" (id {Terminal.Safe(key.String("id"))}).");
        Console.Out.WriteLine($"  Access key ID: {accessKeyId}");
        Console.Out.WriteLine($"  Secret:        {secret}");
        Console.Out.WriteLine("The secret is shown once — store it now; it cannot be shown again.");
        Console.Out.WriteLine("Use it with: AUTHPLATFORM_ACCESS_KEY_ID=… AUTHPLATFORM_SECRET=… authplatform login --access-key");
        return ExitCodes.Success;
    }

    public async Task<int> ListKeysAsync()
    {
        using var session = OpenSession();
        var keys = await ListAsync(session);
        if (keys.Count == 0)
        {
            Console.Out.WriteLine("No access keys.");
            return ExitCodes.Success;
        }
        string[] header = ["ID", "NAME", "ACCESS KEY ID", "CREATED (UTC)", "LAST USED (UTC)"];
        var rows = keys.Select(k => new[]
        {
            Terminal.Safe(k.String("id")),
            Terminal.Safe(k.String("name")),
            Terminal.Safe(k.String("accessKeyId")),
            Timestamp(k.String("createdAt")) ?? "",
            Timestamp(k.String("lastUsedAt")) ?? "never",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
        return ExitCodes.Success;
    }

    public async Task<int> RevokeKeyAsync(string idOrAccessKeyId)
    {
        idOrAccessKeyId = idOrAccessKeyId.Trim();
        using var session = OpenSession();
        string id;
        string label;
        if (Guid.TryParse(idOrAccessKeyId, out var guid))
        {
            id = guid.ToString();
            label = id;
        }
        else
        {
            var key = (await ListAsync(session)).FirstOrDefault(k => k.String("accessKeyId") == idOrAccessKeyId);
            if (key.ValueKind != JsonValueKind.Object || key.String("id") is not { Length: > 0 } found)
            {
                throw new CliException($"you have no access key with the id or access key ID '{Terminal.Safe(idOrAccessKeyId)}'; see `authplatform keys list`");
            }
            id = found;
            label = $"{Terminal.Safe(idOrAccessKeyId)} ({Terminal.Safe(key.String("name"))})";
        }

        var revokingOwnKey = session.Credentials.AccessKeyId == idOrAccessKeyId;
        using var response = await session.SendOrFailAsync(token =>
            GatewayClient.Json(HttpMethod.Delete, "api/access-keys/" + Uri.EscapeDataString(id), bearer: token));
        Console.Out.WriteLine($"Revoked access key {label}.");
        if (revokingOwnKey)
        {
            Console.Out.WriteLine("That is the key you are signed in with: run `authplatform login` to go on.");
        }
        return ExitCodes.Success;
    }

    public async Task<int> MfaStatusAsync()
    {
        using var session = OpenSession();
        var status = await session.SendForJsonAsync(token => GatewayClient.Json(HttpMethod.Get, "api/mfa", bearer: token));
        var enabled = status.Bool("enabled");
        Console.Out.WriteLine($"2FA: {TwoFactor(enabled, status.String("method"))}");
        if (enabled && status.Int("recoveryCodesRemaining") is { } remaining)
        {
            Console.Out.WriteLine($"Recovery codes remaining: {remaining}");
        }
        return ExitCodes.Success;
    }

    public async Task<int> ListClientsAsync()
    {
        using var session = OpenSession();
        var clients = await session.SendForJsonAsync(token => GatewayClient.Json(HttpMethod.Get, "api/clients", bearer: token));
        if (clients.ValueKind != JsonValueKind.Array)
        {
            throw new CliException("the gateway's list of clients is not a list");
        }
        if (clients.GetArrayLength() == 0)
        {
            Console.Out.WriteLine("No OpenID Connect clients.");
            return ExitCodes.Success;
        }
        string[] header = ["CLIENT ID", "NAME", "TYPE", "SOURCE", "SCOPES", "REDIRECT URIS"];
        var rows = clients.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(c => new[]
        {
            Terminal.Safe(c.String("clientId")),
            Terminal.Safe(c.String("displayName")),
            c.Bool("confidential") ? "confidential" : "public",
            c.Bool("fromConfiguration") ? "configuration" : "cli",
            Terminal.Safe(string.Join(' ', c.Strings("scopes"))),
            Terminal.Safe(string.Join(' ', c.Strings("redirectUris"))),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
        return ExitCodes.Success;
    }

    public async Task<int> AddClientAsync(string clientId, IReadOnlyDictionary<string, List<string>> options)
    {
        IReadOnlyList<string> Values(string option) => options.TryGetValue(option, out var values) ? values : [];
        if (Values("--name") is not [var name] || Values("--redirect-uri").Count == 0)
        {
            throw new UsageException("usage: authplatform clients add CLIENT_ID --name NAME --redirect-uri URI [--redirect-uri URI…] "
                + "[--post-logout-redirect-uri URI…] [--scope SCOPE…] [--public]");
        }
        var confidential = !options.ContainsKey("--public");
        var body = new JsonObject
        {
            ["clientId"] = clientId.Trim(),
            ["displayName"] = name,
            ["redirectUris"] = new JsonArray([.. Values("--redirect-uri").Select(uri => (JsonNode?)uri)]),
            ["postLogoutRedirectUris"] = new JsonArray([.. Values("--post-logout-redirect-uri").Select(uri => (JsonNode?)uri)]),
            ["scopes"] = new JsonArray([.. Values("--scope").Select(scope => (JsonNode?)scope)]),
            ["confidential"] = confidential,
        };
        using var session = OpenSession();
        var answer = await session.SendForJsonAsync(token => GatewayClient.Json(HttpMethod.Post, "api/clients", body, token));
        var client = answer.Object("client") ?? throw new CliException("the gateway's answer names no client");
        Console.Out.WriteLine($"Registered {(confidential ? "confidential" : "public")} client {Terminal.Safe(client.String("clientId"))} "
            + $"(\"{Terminal.Safe(client.String("displayName"))}\"), scopes {Terminal.Safe(string.Join(' ', client.Strings("scopes")))}.");
        if (answer.String("clientSecret") is { Length: > 0 } secret)
        {
            Console.Out.WriteLine($"  Client secret: {Terminal.Safe(secret)}");
            Console.Out.WriteLine("The secret is shown once — store it now; it cannot be shown again.");
        }
        return ExitCodes.Success;
    }

    public async Task<int> RemoveClientAsync(string clientId)
    {
        using var session = OpenSession();
        using var response = await session.SendOrFailAsync(token =>
            GatewayClient.Json(HttpMethod.Delete, "api/clients/" + Uri.EscapeDataString(clientId.Trim()), bearer: token));
        Console.Out.WriteLine($"Removed client {Terminal.Safe(clientId.Trim())}; its consents and tokens are revoked.");
        return ExitCodes.Success;
    }

    private static async Task<List<JsonElement>> ListAsync(Session session)
    {
        var list = await session.SendForJsonAsync(token => GatewayClient.Json(HttpMethod.Get, "api/access-keys", bearer: token));
        // A bare array, or an envelope such as {items:[…]}.
        var items = list.ValueKind == JsonValueKind.Array ? list
            : list.ValueKind == JsonValueKind.Object && list.EnumerateObject().FirstOrDefault(p => p.Value.ValueKind == JsonValueKind.Array) is { Value.ValueKind: JsonValueKind.Array } property
                ? property.Value
                : throw new CliException("the gateway's list of access keys is not a list");
        return [.. items.EnumerateArray().Where(k => k.ValueKind == JsonValueKind.Object)];
    }

    private Session OpenSession()
    {
        var credentials = store.Load() ?? throw new CliException(NotSignedIn);
        if (explicitGateway is not null && explicitGateway != credentials.Gateway)
        {
            // Never send one gateway's token to another.
            throw new CliException($"you are signed in to {credentials.Gateway}, not {explicitGateway}; run `authplatform login --gateway {explicitGateway}`");
        }
        return new Session(new GatewayClient(credentials.Gateway, insecure), store, credentials);
    }

    /// <summary>The stored credentials, or null when there are none or they cannot be read (login replaces them anyway).</summary>
    private Credentials? LoadQuietly()
    {
        try
        {
            return store.Load();
        }
        catch (CliException)
        {
            return null;
        }
    }

    /// <summary>Signing in again ends the session it replaces, so its refresh token does not outlive the file.</summary>
    private static async Task EndPreviousSessionAsync(GatewayClient gateway, Credentials? previous)
    {
        if (previous?.RefreshToken is not { } refreshToken || previous.Gateway != gateway.Gateway)
        {
            return;
        }
        try
        {
            using var request = GatewayClient.Json(HttpMethod.Delete, "api/sessions/current", new JsonObject { ["refreshToken"] = refreshToken });
            using var response = await gateway.SendAsync(request);
        }
        catch (CliException)
        {
            // Best effort: the new credentials are saved; the old refresh token expires on its own.
        }
    }

    /// <summary>Saves under the lock, so a refresh running in another command cannot overwrite a fresh login.</summary>
    private async Task SaveAsync(Credentials credentials)
    {
        using (await store.LockAsync())
        {
            store.Save(credentials);
        }
    }

    private static string TwoFactor(bool enabled, string? method) =>
        enabled ? $"on ({Terminal.Safe(method ?? "unknown method")})" : "off";

    private static string? Timestamp(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : null;

    private static string? FromEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
