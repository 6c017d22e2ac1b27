using System.Net;
using System.Text.Json;
using AuthPlatform.Contracts;

namespace AuthPlatform.Mfa.Factors;

public sealed record SmsSendResult(bool Sent, HttpStatusCode Status, JsonElement? Problem, string? RetryAfter);

/// <summary>
/// Asks the verification service (its /internal API) to text a code, and to check one. The account and the end
/// user's address go in the service token, not in the body.
/// </summary>
public sealed class VerificationClient(HttpClient http)
{
    public const string PhoneEnroll = SmsCodePurpose.PhoneEnroll;
    public const string SignIn = SmsCodePurpose.SignIn;

    public async Task<SmsSendResult> SendSmsCodeAsync(string purpose, Guid accountId, string phoneNumber, string? clientAddress, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, "/internal/sms-codes", accountId, clientAddress, new { purpose, phoneNumber });
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new SmsSendResult(true, response.StatusCode, null, null);
        }
        if ((int)response.StatusCode >= 500 || InternalCalls.IsRefusedServiceToken(response))
        {
            throw new HttpRequestException($"verification answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        return new SmsSendResult(false, response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken),
            response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString("0"));
    }

    public async Task<bool> VerifySmsCodeAsync(string purpose, Guid accountId, string? phoneNumber, string code, CancellationToken cancellationToken)
    {
        using var request = InternalCalls.Request(HttpMethod.Post, "/internal/sms-codes/verify", accountId, body: new { purpose, phoneNumber, code });
        using var response = await http.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 500 || InternalCalls.IsRefusedServiceToken(response))
        {
            throw new HttpRequestException($"verification answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        return response.IsSuccessStatusCode;
    }
}
