namespace AuthPlatform.Account;

/// <param name="RequestedAt">For password-reset links: when account asked for the link (account's clock).</param>
public sealed record RedeemedToken(Guid AccountId, string Email, DateTimeOffset? RequestedAt = null);

/// <summary>Spends a one-time link token at the verification service (its /internal API, never routed publicly).</summary>
public sealed class VerificationClient(HttpClient http)
{
    public async Task<RedeemedToken?> RedeemAsync(string token, string purpose, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, "/internal/tokens/redeem", body: new { token, purpose });
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.BadRequest)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<RedeemedToken>(cancellationToken);
    }
}
