using System.Net;
using System.Net.Http.Headers;

namespace AuthPlatform.Bench.Flows;

/// <summary>
/// Set-up: <c>--accounts</c> verified accounts (default 8), signed in once. Measured: a GET with the access token
/// (<c>/api/accounts/me</c> for "read-me", <c>/api/mfa</c> for "read-mfa"), round-robin over the accounts; success is
/// 200. Access tokens live 15 minutes, longer than a run. With <c>--direct</c> the GETs skip the gateway.
/// </summary>
public sealed class AuthenticatedReadFlow(string name, string path) : IBenchFlow
{
    private AuthenticationHeaderValue[] _bearers = [];
    private int _next = -1;

    public string Name => name;

    public async Task SetUpAsync(BenchContext context, CancellationToken cancellationToken)
    {
        _bearers = await PasswordSignInFlow.CreateVerifiedAccountsAsync(context, context.Options.Accounts ?? 8, async (email, _, token) =>
            new AuthenticationHeaderValue("Bearer", await PasswordSignInFlow.CreateVerifiedAccountAsync(context, email, token)), cancellationToken);
    }

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, context.Measured(path));
        request.Headers.Authorization = _bearers[(int)((uint)Interlocked.Increment(ref _next) % (uint)_bearers.Length)];
        using var response = await context.Http.SendAsync(request, cancellationToken);
        return Outcome.FromResponse(response, HttpStatusCode.OK);
    }
}
