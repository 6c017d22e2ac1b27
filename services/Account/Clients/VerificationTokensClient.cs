namespace AuthPlatform.Account.Clients;

/// <summary>Spends a one-time link token at the verification service (its /internal API, never routed publicly).</summary>
public sealed class VerificationTokensClient(HttpClient http)
{
    public async Task<RedeemedToken?> RedeemAsync(string token, string purpose, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, TokenRedemptionCalls.Redeem, body: new RedeemTokenRequest(token, purpose));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.BadRequest)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<RedeemedToken>(cancellationToken);
    }
}
