using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AuthPlatform.Bench.Flows;

/// <summary>
/// Set-up: <c>--accounts</c> verified accounts (default 4), each with one access key. Measured: POST /connect/token
/// with grant_type=client_credentials and HTTP Basic, round-robin over the keys; success is 200. Uses of one key are
/// serialised by its row lock (that is what makes revocation safe), so the keys are spread over the workers.
/// </summary>
public sealed class ClientCredentialsFlow : IBenchFlow
{
    private AuthenticationHeaderValue[] _keys = [];
    private int _next = -1;

    public string Name => "client-credentials";

    public async Task SetUpAsync(BenchContext context, CancellationToken cancellationToken)
    {
        _keys = await PasswordSignInFlow.CreateVerifiedAccountsAsync(context, context.Options.Accounts ?? 4, async (email, _, token) =>
        {
            var accessToken = await PasswordSignInFlow.CreateVerifiedAccountAsync(context, email, token);
            using var request = new HttpRequestMessage(HttpMethod.Post, context.Gateway("api/access-keys"))
            {
                Content = JsonContent.Create(new { name = "bench" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await context.Http.SendAsync(request, token);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"creating an access key answered {(int)response.StatusCode}");
            }
            var key = await response.Content.ReadFromJsonAsync<JsonElement>(token);
            var pair = $"{key.GetProperty("accessKeyId").GetString()}:{key.GetProperty("secret").GetString()}";
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }, cancellationToken);
    }

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, context.Gateway("connect/token"))
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = _keys[(int)((uint)Interlocked.Increment(ref _next) % (uint)_keys.Length)];
        using var response = await context.Http.SendAsync(request, cancellationToken);
        return Outcome.FromResponse(response, HttpStatusCode.OK);
    }
}
