using System.Net.Http.Json;
using System.Text.Json;
using AuthPlatform.Contracts.Internal;
using AuthPlatform.Internal;

namespace AuthPlatform.Portal.ExternalSignIn;

/// <summary>
/// Hands account the person Google signed in (POST /internal/external-sign-in on account's internal listener, with
/// the portal's service token; the browser's address travels in the token). Account decides what it means.
/// </summary>
public sealed partial class ExternalSignInClient(HttpClient http, ILogger<ExternalSignInClient> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ApiResult<ExternalSignInAnswer>> SignInAsync(ExternalSignInRequest person, string? clientAddress, CancellationToken cancellationToken)
    {
        try
        {
            using var request = InternalCalls.Request(HttpMethod.Post, ExternalSignInCalls.Group, clientAddress: clientAddress, body: person);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new ApiResult<ExternalSignInAnswer>(await response.Content.ReadFromJsonAsync<ExternalSignInAnswer>(Json, cancellationToken), null);
            }
            if (InternalCalls.IsRefusedServiceToken(response))
            {
                // Our keys are wrong, not the person: they read "try again later", operators read the log.
                LogRefused();
                return ApiProblem.Unreachable;
            }
            return await PlatformApi.ProblemOf(response, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(ex.GetType().Name);
            return ApiProblem.Unreachable;
        }
    }

    [LoggerMessage(LogLevel.Error, "account refused the portal's service token (InternalAuth keys)")]
    private partial void LogRefused();

    [LoggerMessage(LogLevel.Warning, "account's internal API did not answer the external sign-in ({Error})")]
    private partial void LogUnreachable(string error);
}
