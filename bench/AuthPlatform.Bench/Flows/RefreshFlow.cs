using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AuthPlatform.Bench.Flows;

/// <summary>
/// Set-up: one verified session per worker of the highest concurrency level. Measured: POST /api/sessions/refresh
/// with the session's latest refresh token; success is 200 with a new one (rotation: each token is spent once, so a
/// worker owns its session and follows its chain; a spent token presented again would revoke the session).
/// </summary>
public sealed class RefreshFlow : IBenchFlow
{
    private string[] _refreshTokens = [];

    public string Name => "refresh";

    public async Task SetUpAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sessions = await PasswordSignInFlow.CreateVerifiedAccountsAsync(context, context.Options.Accounts ?? context.Options.Concurrency.Max(),
            (email, _, token) => PasswordSignInFlow.CreateVerifiedSessionAsync(context, email, token), cancellationToken);
        _refreshTokens = [.. sessions.Select(session => session.RefreshToken)];
    }

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        var slot = worker % _refreshTokens.Length;
        using var response = await context.Http.PostAsJsonAsync(context.Gateway("api/sessions/refresh"),
            new { refreshToken = _refreshTokens[slot] }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var tokens = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            _refreshTokens[slot] = tokens.GetProperty("refreshToken").GetString()!;
        }
        return Outcome.FromResponse(response, HttpStatusCode.OK);
    }
}
