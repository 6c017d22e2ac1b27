using System.Net;
using System.Text.Json;

namespace AuthPlatform.Mfa.Clients;

/// <summary>What verification answered to a code request: the code's lifetime when sent, else the problem (status, body, Retry-After) to relay.</summary>
public sealed record SmsCodeRequestOutcome(SmsCodeSent? Code, HttpStatusCode Status, JsonElement? Problem, string? RetryAfter);

/// <summary>
/// Asks the verification service (its /internal API) to text a code, and to check one. The account and the end
/// user's address go in the service token, not in the body.
/// </summary>
public sealed class VerificationSmsCodesClient(HttpClient http)
{
    public async Task<SmsCodeRequestOutcome> SendSmsCodeAsync(string purpose, Guid accountId, string phoneNumber, string? clientAddress, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, SmsCodeCalls.Send, accountId, clientAddress, new SendSmsCodeRequest(purpose, phoneNumber));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var sent = await response.Content.ReadFromJsonAsync<SmsCodeSent>(cancellationToken)
                ?? throw new HttpRequestException("verification sent no code lifetime");
            return new SmsCodeRequestOutcome(sent, response.StatusCode, null, null);
        }
        if ((int)response.StatusCode >= 500 || InternalCalls.IsRefusedServiceToken(response))
        {
            throw new HttpRequestException($"verification answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        return new SmsCodeRequestOutcome(null, response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken),
            response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString("0"));
    }

    public async Task<bool> VerifySmsCodeAsync(string purpose, Guid accountId, string phoneNumber, string code, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, SmsCodeCalls.Verify, accountId, body: new VerifySmsCodeRequest(purpose, phoneNumber, code));
        using var response = await http.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 500 || InternalCalls.IsRefusedServiceToken(response))
        {
            throw new HttpRequestException($"verification answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        return response.IsSuccessStatusCode;
    }
}
