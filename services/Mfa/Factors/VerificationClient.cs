using System.Net;
using System.Text.Json;

namespace AuthPlatform.Mfa.Factors;

public sealed record SmsSendResult(bool Sent, HttpStatusCode Status, JsonElement? Problem, string? RetryAfter);

/// <summary>Asks the verification service (its /internal API) to text a code, and to check one.</summary>
public sealed class VerificationClient(HttpClient http)
{
    public const string PhoneEnroll = "phone-enroll";
    public const string SignIn = "sign-in";

    public async Task<SmsSendResult> SendSmsCodeAsync(string purpose, Guid accountId, string phoneNumber, string? clientAddress, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/internal/sms-codes", new { purpose, accountId, phoneNumber, clientAddress }, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new SmsSendResult(true, response.StatusCode, null, null);
        }
        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"verification answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        return new SmsSendResult(false, response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken),
            response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString("0"));
    }

    public async Task<bool> VerifySmsCodeAsync(string purpose, Guid accountId, string? phoneNumber, string code, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/internal/sms-codes/verify", new { purpose, accountId, phoneNumber, code }, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"verification answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        return response.IsSuccessStatusCode;
    }
}
