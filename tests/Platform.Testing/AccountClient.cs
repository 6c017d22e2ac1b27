using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AuthPlatform.Testing;

public sealed record Tokens(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType);

/// <summary>What a person does through the gateway: sign up, press "Verify email" in the email, sign in.</summary>
public sealed class AccountClient(PlatformFixture platform)
{
    public const string GoodPassword = "correct horse battery staple";

    private HttpClient Gateway => platform.Gateway;

    public Task<HttpResponseMessage> SignUpAsync(string email, string password = GoodPassword) =>
        Gateway.PostAsJsonAsync("/api/accounts", new { email, password });

    public Task<HttpResponseMessage> SignInAsync(string email, string password = GoodPassword) =>
        Gateway.PostAsJsonAsync("/api/sessions", new { email, password });

    /// <summary>
    /// Takes the newest "Verify email" message's link and confirms its token through the API, as an API client
    /// would (the link's page is the portal's; Portal.Tests press its button in a browser).
    /// </summary>
    public async Task<HttpResponseMessage> PressVerifyInEmailAsync(string email, int emailNumber = 1)
    {
        var message = await platform.Mailbox.WaitForAsync(email, "Verify your email", emailNumber);
        var link = new Uri(message.LinkStartingWith(platform.Fleet.PublicBaseUrl + "/verify-email?token="));
        var token = Uri.UnescapeDataString(link.Query["?token=".Length..]);
        return await Gateway.PostAsJsonAsync("/api/verification/email/confirm", new { token });
    }

    /// <summary>Sign-in right after verifying may race the EmailVerified event by a few milliseconds.</summary>
    public async Task<Tokens> SignInVerifiedAsync(string email, string password = GoodPassword)
    {
        HttpResponseMessage? response = null;
        await PlatformFixture.EventuallyAsync($"{email} can sign in", async () =>
        {
            response = await SignInAsync(email, password);
            return response.StatusCode != HttpStatusCode.Forbidden;
        }, TimeSpan.FromSeconds(15));
        response!.StatusCode.ShouldBeOk();
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }

    public async Task<(string Email, Tokens Tokens)> CreateVerifiedAccountAsync(string hint = "user")
    {
        var email = PlatformFixture.NewEmail(hint);
        var signUp = await SignUpAsync(email);
        if (signUp.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Sign-up answered {(int)signUp.StatusCode}: {await signUp.Content.ReadAsStringAsync()}");
        }
        (await PressVerifyInEmailAsync(email)).StatusCode.ShouldBeOk();
        return (email, await SignInVerifiedAsync(email));
    }

    public async Task<HttpResponseMessage> GetProfileAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/accounts/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await Gateway.SendAsync(request);
    }

    /// <summary>A request with a bearer token and an optional JSON body.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accessToken, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await Gateway.SendAsync(request);
    }

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        Gateway.PostAsJsonAsync("/api/sessions/refresh", new { refreshToken });

    /// <summary>The problem type's last segment, e.g. "reauthentication-required".</summary>
    public static async Task<string> ProblemTypeAsync(HttpResponseMessage response) =>
        (await JsonAsync(response)).GetProperty("type").GetString()!.Split('/')[^1];

    /// <summary>A statement against one of the platform's databases, as an operator (or an attacker with a backup) could.</summary>
    public async Task<int> ExecuteSqlAsync(string database, string sql, params object[] parameters)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.Servers.ConnectionStrings[database]);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = parameter });
        }
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of a query against one of the platform's databases, as an attacker with a copy would read it.</summary>
    public async Task<List<string>> ReadColumnAsync(string database, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.Servers.ConnectionStrings[database]);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}

internal static class StatusAssertions
{
    public static void ShouldBeOk(this HttpStatusCode status)
    {
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Expected 200 OK but got {(int)status} {status}.");
        }
    }
}
