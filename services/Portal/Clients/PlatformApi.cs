using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AuthPlatform.Web.Problems;

namespace AuthPlatform.Portal.Clients;

/// <summary>
/// The platform's public API as the portal calls it for the person in front of the browser: straight to the
/// service that owns each path (service discovery, the same <c>services__*</c> the gateway reads), with the browser's
/// address relayed (<see cref="ClientAddressRelay"/>). No automatic retries: a sign-in or a code check spends an
/// attempt, so each happens at most once, and the answer is shown to the person instead.
/// </summary>
public sealed partial class PlatformApi(IHttpClientFactory clients, ILogger<PlatformApi> logger)
{
    public const string Account = "account";
    public const string Verification = "verification";
    public const string Mfa = "mfa";

    public static readonly string[] Services = [Account, Verification, Mfa];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Accounts and sign-up
    public Task<ApiResult> SignUpAsync(string email, string password, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Post, "/api/accounts", new SignUpRequest(email, password), null, cancellationToken);

    public Task<ApiResult> ConfirmEmailAsync(string token, CancellationToken cancellationToken) =>
        SendAsync(Verification, HttpMethod.Post, "/api/verification/email/confirm", new ConfirmEmailRequest(token), null, cancellationToken);

    public Task<ApiResult> ResendVerificationEmailAsync(string email, CancellationToken cancellationToken) =>
        SendAsync(Verification, HttpMethod.Post, "/api/verification/email/resend", new ResendEmailRequest(email), null, cancellationToken);

    public Task<ApiResult<AccountProfile>> GetProfileAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<AccountProfile>(Account, HttpMethod.Get, "/api/accounts/me", null, accessToken, cancellationToken);

    // Password reset
    public Task<ApiResult> RequestPasswordResetAsync(string email, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Post, "/api/accounts/password-reset", new PasswordResetRequest(email), null, cancellationToken);

    public Task<ApiResult> ResetPasswordAsync(string token, string newPassword, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Post, "/api/accounts/password-reset/confirm", new PasswordResetConfirmRequest(token, newPassword), null, cancellationToken);

    // Sessions
    public Task<ApiResult<SignInResponse>> SignInAsync(string email, string password, string? deviceToken, bool requireSecondFactor,
        CancellationToken cancellationToken) =>
        SendAsync<SignInResponse>(Account, HttpMethod.Post, "/api/sessions", new SignInRequest(email, password, deviceToken, requireSecondFactor), null, cancellationToken);

    public Task<ApiResult<SignInResponse>> CompleteSecondFactorAsync(string mfaToken, string method, string code, CancellationToken cancellationToken,
        bool rememberDevice = false) =>
        SendAsync<SignInResponse>(Account, HttpMethod.Post, "/api/sessions/mfa", new MfaSignInRequest(mfaToken, method, code, rememberDevice), null, cancellationToken);

    public Task<ApiResult> ResendSignInCodeAsync(string mfaToken, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Post, "/api/sessions/mfa/sms", new MfaTokenRequest(mfaToken), null, cancellationToken);

    public Task<ApiResult<SignInResponse>> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        SendAsync<SignInResponse>(Account, HttpMethod.Post, "/api/sessions/refresh", new RefreshRequest(refreshToken), null, cancellationToken);

    public Task<ApiResult> SignOutAsync(string refreshToken, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, "/api/sessions/current", new RefreshRequest(refreshToken), null, cancellationToken);

    // Two-factor authentication
    public Task<ApiResult<MfaStatus>> GetMfaStatusAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<MfaStatus>(Mfa, HttpMethod.Get, "/api/mfa", null, accessToken, cancellationToken);

    public Task<ApiResult<TotpSetup>> StartAuthenticatorSetupAsync(string accessToken, string? currentCode, CancellationToken cancellationToken) =>
        SendAsync<TotpSetup>(Mfa, HttpMethod.Post, "/api/mfa/totp", new StartTotpRequest(currentCode), accessToken, cancellationToken);

    public Task<ApiResult<RecoveryCodesResponse>> ConfirmAuthenticatorAsync(string accessToken, string code, CancellationToken cancellationToken) =>
        SendAsync<RecoveryCodesResponse>(Mfa, HttpMethod.Post, "/api/mfa/totp/confirm", new CodeRequest(code), accessToken, cancellationToken);

    public Task<ApiResult<SmsStartedResponse>> StartPhoneSetupAsync(string accessToken, string phoneNumber, string? currentCode, CancellationToken cancellationToken) =>
        SendAsync<SmsStartedResponse>(Mfa, HttpMethod.Post, "/api/mfa/sms", new StartSmsRequest(phoneNumber, currentCode), accessToken, cancellationToken);

    public Task<ApiResult<RecoveryCodesResponse>> ConfirmPhoneAsync(string accessToken, string code, CancellationToken cancellationToken) =>
        SendAsync<RecoveryCodesResponse>(Mfa, HttpMethod.Post, "/api/mfa/sms/confirm", new CodeRequest(code), accessToken, cancellationToken);

    public Task<ApiResult<RecoveryCodesResponse>> RegenerateRecoveryCodesAsync(string accessToken, string code, CancellationToken cancellationToken) =>
        SendAsync<RecoveryCodesResponse>(Mfa, HttpMethod.Post, "/api/mfa/recovery-codes", new CodeRequest(code), accessToken, cancellationToken);

    public Task<ApiResult> TurnOffTwoFactorAsync(string accessToken, string code, CancellationToken cancellationToken) =>
        SendAsync(Mfa, HttpMethod.Delete, "/api/mfa", new CodeRequest(code), accessToken, cancellationToken);

    // Recent sign-in, password, devices
    public Task<ApiResult<SignInResponse>> ReauthenticateAsync(string accessToken, ReauthenticateRequest proof, CancellationToken cancellationToken) =>
        SendAsync<SignInResponse>(Account, HttpMethod.Post, "/api/sessions/reauthenticate", proof, accessToken, cancellationToken);

    public Task<ApiResult> ChangePasswordAsync(string accessToken, string currentPassword, string newPassword, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Post, "/api/accounts/me/password", new ChangePasswordRequest(currentPassword, newPassword), accessToken, cancellationToken);

    public Task<ApiResult<IReadOnlyList<SessionSummary>>> ListSessionsAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<SessionSummary>>(Account, HttpMethod.Get, "/api/sessions", null, accessToken, cancellationToken);

    public Task<ApiResult> EndOtherSessionsAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, "/api/sessions", null, accessToken, cancellationToken);

    public Task<ApiResult> EndSessionAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/sessions/{id}", null, accessToken, cancellationToken);

    public Task<ApiResult<IReadOnlyList<RememberedDeviceSummary>>> ListRememberedDevicesAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<RememberedDeviceSummary>>(Account, HttpMethod.Get, "/api/sessions/remembered-devices", null, accessToken, cancellationToken);

    public Task<ApiResult> ForgetRememberedDeviceAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/sessions/remembered-devices/{id}", null, accessToken, cancellationToken);

    public Task<ApiResult> ForgetRememberedDevicesAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, "/api/sessions/remembered-devices", null, accessToken, cancellationToken);

    // Sign-in methods: the password and linked identities (Google)
    public Task<ApiResult<SignInMethodsView>> ListSignInMethodsAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<SignInMethodsView>(Account, HttpMethod.Get, "/api/accounts/me/external-identities", null, accessToken, cancellationToken);

    public Task<ApiResult<ExternalIdentityView>> LinkExternalIdentityAsync(string accessToken, string linkToken, CancellationToken cancellationToken) =>
        SendAsync<ExternalIdentityView>(Account, HttpMethod.Post, "/api/accounts/me/external-identities", new LinkIdentityRequest(linkToken), accessToken, cancellationToken);

    public Task<ApiResult> UnlinkExternalIdentityAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/accounts/me/external-identities/{id}", null, accessToken, cancellationToken);

    // Access keys
    public Task<ApiResult<CreatedAccessKey>> CreateAccessKeyAsync(string accessToken, string name, CancellationToken cancellationToken) =>
        SendAsync<CreatedAccessKey>(Account, HttpMethod.Post, "/api/access-keys", new CreateAccessKeyRequest(name), accessToken, cancellationToken);

    public Task<ApiResult<IReadOnlyList<AccessKeySummary>>> ListAccessKeysAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<AccessKeySummary>>(Account, HttpMethod.Get, "/api/access-keys", null, accessToken, cancellationToken);

    public Task<ApiResult> RevokeAccessKeyAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/access-keys/{id}", null, accessToken, cancellationToken);

    // Connected apps (OpenID Connect clients the person has allowed)
    public Task<ApiResult<IReadOnlyList<ConnectedApp>>> ListConnectedAppsAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<ConnectedApp>>(Account, HttpMethod.Get, "/api/connected-apps", null, accessToken, cancellationToken);

    public Task<ApiResult> RemoveConnectedAppAsync(string accessToken, string clientId, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/connected-apps/{Uri.EscapeDataString(clientId)}", null, accessToken, cancellationToken);

    // Passkeys: the owner's list and changes at mfa, signing in at account
    public Task<ApiResult<IReadOnlyList<PasskeyView>>> ListPasskeysAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<PasskeyView>>(Mfa, HttpMethod.Get, "/api/passkeys", null, accessToken, cancellationToken);

    public Task<ApiResult<PasskeyOptionsResponse>> StartPasskeyRegistrationAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<PasskeyOptionsResponse>(Mfa, HttpMethod.Post, "/api/passkeys/registration/options", new { }, accessToken, cancellationToken);

    public Task<ApiResult<PasskeyView>> CompletePasskeyRegistrationAsync(string accessToken, CompletePasskeyRegistrationRequest passkey, CancellationToken cancellationToken) =>
        SendAsync<PasskeyView>(Mfa, HttpMethod.Post, "/api/passkeys/registration/complete", passkey, accessToken, cancellationToken);

    public Task<ApiResult> RenamePasskeyAsync(string accessToken, Guid id, string name, CancellationToken cancellationToken) =>
        SendAsync(Mfa, HttpMethod.Patch, $"/api/passkeys/{id}", new RenamePasskeyRequest(name), accessToken, cancellationToken);

    public Task<ApiResult> RemovePasskeyAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Mfa, HttpMethod.Delete, $"/api/passkeys/{id}", null, accessToken, cancellationToken);

    public Task<ApiResult<PasskeyOptionsResponse>> StartPasskeySignInAsync(string? mfaToken, CancellationToken cancellationToken) =>
        SendAsync<PasskeyOptionsResponse>(Account, HttpMethod.Post, "/api/passkeys/assertion/options", new PasskeyAssertionOptionsRequest(mfaToken), null, cancellationToken);

    public Task<ApiResult<SignInResponse>> CompletePasskeySignInAsync(PasskeyAssertionRequest assertion, CancellationToken cancellationToken) =>
        SendAsync<SignInResponse>(Account, HttpMethod.Post, "/api/passkeys/assertion/complete", assertion, null, cancellationToken);

    /// <summary>A call whose answer has no body the portal needs.</summary>
    public async Task<ApiResult> SendAsync(string service, HttpMethod method, string path, object? body, string? accessToken, CancellationToken cancellationToken)
    {
        var (_, problem) = await SendAsync<JsonElement>(service, method, path, body, accessToken, cancellationToken, readBody: false);
        return new ApiResult(problem);
    }

    /// <summary>A call answered with JSON of type <typeparamref name="T"/>, or its problem.</summary>
    public async Task<ApiResult<T>> SendAsync<T>(string service, HttpMethod method, string path, object? body, string? accessToken,
        CancellationToken cancellationToken, bool readBody = true)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        try
        {
            using var response = await clients.CreateClient(service).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return readBody ? new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken), null) : new ApiResult<T>(default, null);
            }
            return await ProblemOf(response, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, service, path, ex.GetType().Name);
            return ApiProblem.Unreachable;
        }
    }

    internal static async Task<ApiProblem> ProblemOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        string kind = "", detail = "";
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
                if (problem.ValueKind == JsonValueKind.Object)
                {
                    var type = problem.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
                    kind = type.StartsWith(ProblemTypes.Base, StringComparison.Ordinal) ? type[ProblemTypes.Base.Length..] : "";
                    detail = problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
                }
            }
            catch (JsonException)
            {
                // An unreadable body still has its status.
            }
        }
        return new ApiProblem(response.StatusCode, kind, detail.Length > 0 ? detail : null, retryAfter);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Service} API did not answer {Path} ({Error})")]
    private static partial void LogUnreachable(ILogger logger, string service, string path, string error);
}
