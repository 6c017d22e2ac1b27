using System.Net;
using System.Text.Json;

namespace AuthPlatform.Account.Clients;

/// <summary>The outcome of a second-factor check at mfa: success, or the problem (status, body, Retry-After) to relay.</summary>
public sealed record MfaVerification(bool Accepted, HttpStatusCode Status, JsonElement? Problem, string? RetryAfter);

/// <summary>
/// Asks the mfa service (its /internal API) whether an account has a second factor, and checks codes. Asked
/// synchronously at every sign-in, so a factor enabled a moment ago is never missed. The account and the end user's
/// address travel in the service token.
/// </summary>
public sealed partial class MfaClient(HttpClient http, ILogger<MfaClient> logger)
{
    public async Task<MfaStatus> GetStateAsync(Guid accountId, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Get, MfaCalls.Status, accountId);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<MfaStatus>(cancellationToken) ?? throw new HttpRequestException("mfa returned no state");
    }

    /// <summary>Texts the sign-in code to the account's number (first send or resend); refusals come back as problems.</summary>
    public async Task<MfaVerification> SendSmsChallengeAsync(Guid accountId, string? clientAddress, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, MfaCalls.SmsChallenge, accountId, clientAddress, new { });
        using var response = await http.SendAsync(request, cancellationToken);
        return await ToVerificationAsync(response, cancellationToken);
    }

    /// <summary>
    /// Texts the sign-in code as a second step starts. If it cannot go now (a limit, mfa or verification down), the
    /// person can resend later or use a recovery code, so the sign-in still answers with its mfaToken.
    /// </summary>
    public async Task TrySendSmsChallengeAsync(Guid accountId, string? clientAddress, CancellationToken cancellationToken)
    {
        try
        {
            await SendSmsChallengeAsync(accountId, clientAddress, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogSmsNotSent(ex, accountId);
        }
    }

    public async Task<MfaVerification> VerifyAsync(Guid accountId, string email, string method, string code, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, MfaCalls.Verify, accountId, body: new VerifyFactorRequest(method, code, email));
        using var response = await http.SendAsync(request, cancellationToken);
        return await ToVerificationAsync(response, cancellationToken);
    }

    /// <summary>WebAuthn request options: for that account's passkeys (second factor), or any discoverable one (null account).</summary>
    public async Task<(JsonElement? Options, MfaVerification Answer)> PasskeyOptionsAsync(Guid? accountId, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, PasskeyCalls.AssertionOptions, accountId, body: new { });
        using var response = await http.SendAsync(request, cancellationToken);
        var answer = await ToVerificationAsync(response, cancellationToken);
        return answer.Accepted
            ? ((await response.Content.ReadFromJsonAsync<PasskeyAssertionOptions>(cancellationToken))?.Options, answer)
            : (null, answer);
    }

    /// <summary>Checks a passkey assertion; the verification says whose passkey it was (a refusal comes back as a problem).</summary>
    public async Task<(PasskeyVerification? Verification, MfaVerification Answer)> VerifyPasskeyAsync(Guid? accountId, JsonElement credential,
        CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, PasskeyCalls.VerifyAssertion, accountId, body: new VerifyPasskeyRequest(credential));
        using var response = await http.SendAsync(request, cancellationToken);
        var answer = await ToVerificationAsync(response, cancellationToken);
        return answer.Accepted ? (await response.Content.ReadFromJsonAsync<PasskeyVerification>(cancellationToken), answer) : (null, answer);
    }

    private static async Task<MfaVerification> ToVerificationAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return new MfaVerification(true, response.StatusCode, null, null);
        }
        if ((int)response.StatusCode >= 500 || InternalCalls.IsRefusedServiceToken(response))
        {
            // A refused service token is our misconfiguration, not the user's wrong code.
            throw new HttpRequestException($"mfa answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new MfaVerification(false, response.StatusCode, problem, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString("0"));
    }

    [LoggerMessage(LogLevel.Warning, "Could not send the sign-in SMS for {AccountId}")]
    private partial void LogSmsNotSent(Exception exception, Guid accountId);
}
