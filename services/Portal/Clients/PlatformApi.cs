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
        SendAsync(Account, HttpMethod.Post, "/api/accounts", new Credentials(email, password), null, cancellationToken);

    public Task<ApiResult> ConfirmEmailAsync(string token, CancellationToken cancellationToken) =>
        SendAsync(Verification, HttpMethod.Post, "/api/verification/email/confirm", new TokenRequest(token), null, cancellationToken);

    public Task<ApiResult> ResendVerificationEmailAsync(string email, CancellationToken cancellationToken) =>
        SendAsync(Verification, HttpMethod.Post, "/api/verification/email/resend", new EmailRequest(email), null, cancellationToken);

    public Task<ApiResult<AccountProfile>> GetProfileAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<AccountProfile>(Account, HttpMethod.Get, "/api/accounts/me", null, accessToken, cancellationToken);

    // Password reset
    public Task<ApiResult> RequestPasswordResetAsync(string email, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Post, "/api/accounts/password-reset", new EmailRequest(email), null, cancellationToken);

    public Task<ApiResult> ResetPasswordAsync(string token, string newPassword, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Post, "/api/accounts/password-reset/confirm", new PasswordResetConfirmation(token, newPassword), null, cancellationToken);

    // Sessions
    public Task<ApiResult<SignInAnswer>> SignInAsync(string email, string password, string? deviceToken, bool requireSecondFactor,
        CancellationToken cancellationToken) =>
        SendAsync<SignInAnswer>(Account, HttpMethod.Post, "/api/sessions", new Credentials(email, password, deviceToken, requireSecondFactor), null, cancellationToken);

    public Task<ApiResult<SessionTokens>> CompleteSecondFactorAsync(string mfaToken, string method, string code, CancellationToken cancellationToken,
        bool rememberDevice = false) =>
        SendAsync<SessionTokens>(Account, HttpMethod.Post, "/api/sessions/mfa", new SecondFactorProof(mfaToken, method, code, rememberDevice), null, cancellationToken);

    public Task<ApiResult> ResendSignInCodeAsync(string mfaToken, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Post, "/api/sessions/mfa/sms", new MfaTokenRequest(mfaToken), null, cancellationToken);

    public Task<ApiResult<SessionTokens>> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        SendAsync<SessionTokens>(Account, HttpMethod.Post, "/api/sessions/refresh", new RefreshTokenRequest(refreshToken), null, cancellationToken);

    public Task<ApiResult> SignOutAsync(string refreshToken, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, "/api/sessions/current", new RefreshTokenRequest(refreshToken), null, cancellationToken);

    // Two-factor authentication
    public Task<ApiResult<MfaStatus>> GetMfaStatusAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<MfaStatus>(Mfa, HttpMethod.Get, "/api/mfa", null, accessToken, cancellationToken);

    public Task<ApiResult<AuthenticatorSetup>> StartAuthenticatorSetupAsync(string accessToken, string? currentCode, CancellationToken cancellationToken) =>
        SendAsync<AuthenticatorSetup>(Mfa, HttpMethod.Post, "/api/mfa/totp", new AuthenticatorSetupRequest(currentCode), accessToken, cancellationToken);

    public Task<ApiResult<RecoveryCodeList>> ConfirmAuthenticatorAsync(string accessToken, string code, CancellationToken cancellationToken) =>
        SendAsync<RecoveryCodeList>(Mfa, HttpMethod.Post, "/api/mfa/totp/confirm", new FactorCode(code), accessToken, cancellationToken);

    public Task<ApiResult<PhoneCodeSent>> StartPhoneSetupAsync(string accessToken, string phoneNumber, string? currentCode, CancellationToken cancellationToken) =>
        SendAsync<PhoneCodeSent>(Mfa, HttpMethod.Post, "/api/mfa/sms", new PhoneEnrolmentRequest(phoneNumber, currentCode), accessToken, cancellationToken);

    public Task<ApiResult<RecoveryCodeList>> ConfirmPhoneAsync(string accessToken, string code, CancellationToken cancellationToken) =>
        SendAsync<RecoveryCodeList>(Mfa, HttpMethod.Post, "/api/mfa/sms/confirm", new FactorCode(code), accessToken, cancellationToken);

    public Task<ApiResult<RecoveryCodeList>> RegenerateRecoveryCodesAsync(string accessToken, string code, CancellationToken cancellationToken) =>
        SendAsync<RecoveryCodeList>(Mfa, HttpMethod.Post, "/api/mfa/recovery-codes", new FactorCode(code), accessToken, cancellationToken);

    public Task<ApiResult> TurnOffTwoFactorAsync(string accessToken, string code, CancellationToken cancellationToken) =>
        SendAsync(Mfa, HttpMethod.Delete, "/api/mfa", new FactorCode(code), accessToken, cancellationToken);

    // Recent sign-in, password, devices
    public Task<ApiResult<SessionTokens>> ReauthenticateAsync(string accessToken, ReauthenticationProof proof, CancellationToken cancellationToken) =>
        SendAsync<SessionTokens>(Account, HttpMethod.Post, "/api/sessions/reauthenticate", proof, accessToken, cancellationToken);

    public Task<ApiResult> ChangePasswordAsync(string accessToken, string currentPassword, string newPassword, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Post, "/api/accounts/me/password", new PasswordChange(currentPassword, newPassword), accessToken, cancellationToken);

    public Task<ApiResult<IReadOnlyList<SignedInDevice>>> ListSessionsAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<SignedInDevice>>(Account, HttpMethod.Get, "/api/sessions", null, accessToken, cancellationToken);

    public Task<ApiResult> EndOtherSessionsAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, "/api/sessions", null, accessToken, cancellationToken);

    public Task<ApiResult> EndSessionAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/sessions/{id}", null, accessToken, cancellationToken);

    public Task<ApiResult<IReadOnlyList<RememberedDeviceListing>>> ListRememberedDevicesAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<RememberedDeviceListing>>(Account, HttpMethod.Get, "/api/sessions/remembered-devices", null, accessToken, cancellationToken);

    public Task<ApiResult> ForgetRememberedDeviceAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/sessions/remembered-devices/{id}", null, accessToken, cancellationToken);

    public Task<ApiResult> ForgetRememberedDevicesAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, "/api/sessions/remembered-devices", null, accessToken, cancellationToken);

    // Sign-in methods: the password and linked identities (Google)
    public Task<ApiResult<SignInMethodList>> ListSignInMethodsAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<SignInMethodList>(Account, HttpMethod.Get, "/api/accounts/me/external-identities", null, accessToken, cancellationToken);

    public Task<ApiResult<LinkedIdentity>> LinkExternalIdentityAsync(string accessToken, string linkToken, CancellationToken cancellationToken) =>
        SendAsync<LinkedIdentity>(Account, HttpMethod.Post, "/api/accounts/me/external-identities", new LinkTokenRequest(linkToken), accessToken, cancellationToken);

    public Task<ApiResult> UnlinkExternalIdentityAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/accounts/me/external-identities/{id}", null, accessToken, cancellationToken);

    // Access keys
    public Task<ApiResult<NewAccessKey>> CreateAccessKeyAsync(string accessToken, string name, CancellationToken cancellationToken) =>
        SendAsync<NewAccessKey>(Account, HttpMethod.Post, "/api/access-keys", new AccessKeyName(name), accessToken, cancellationToken);

    public Task<ApiResult<IReadOnlyList<AccessKeyListing>>> ListAccessKeysAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<AccessKeyListing>>(Account, HttpMethod.Get, "/api/access-keys", null, accessToken, cancellationToken);

    public Task<ApiResult> RevokeAccessKeyAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/access-keys/{id}", null, accessToken, cancellationToken);

    // Connected apps (OpenID Connect clients the person has allowed)
    public Task<ApiResult<IReadOnlyList<AllowedApp>>> ListConnectedAppsAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<AllowedApp>>(Account, HttpMethod.Get, "/api/connected-apps", null, accessToken, cancellationToken);

    public Task<ApiResult> RemoveConnectedAppAsync(string accessToken, string clientId, CancellationToken cancellationToken) =>
        SendAsync(Account, HttpMethod.Delete, $"/api/connected-apps/{Uri.EscapeDataString(clientId)}", null, accessToken, cancellationToken);

    // Passkeys: the owner's list and changes at mfa, signing in at account
    public Task<ApiResult<IReadOnlyList<PasskeyListing>>> ListPasskeysAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<PasskeyListing>>(Mfa, HttpMethod.Get, "/api/passkeys", null, accessToken, cancellationToken);

    public Task<ApiResult<PasskeyOptions>> StartPasskeyRegistrationAsync(string accessToken, CancellationToken cancellationToken) =>
        SendAsync<PasskeyOptions>(Mfa, HttpMethod.Post, "/api/passkeys/registration/options", new { }, accessToken, cancellationToken);

    public Task<ApiResult<PasskeyListing>> CompletePasskeyRegistrationAsync(string accessToken, NewPasskey passkey, CancellationToken cancellationToken) =>
        SendAsync<PasskeyListing>(Mfa, HttpMethod.Post, "/api/passkeys/registration/complete", passkey, accessToken, cancellationToken);

    public Task<ApiResult> RenamePasskeyAsync(string accessToken, Guid id, string name, CancellationToken cancellationToken) =>
        SendAsync(Mfa, HttpMethod.Patch, $"/api/passkeys/{id}", new PasskeyName(name), accessToken, cancellationToken);

    public Task<ApiResult> RemovePasskeyAsync(string accessToken, Guid id, CancellationToken cancellationToken) =>
        SendAsync(Mfa, HttpMethod.Delete, $"/api/passkeys/{id}", null, accessToken, cancellationToken);

    public Task<ApiResult<PasskeyOptions>> StartPasskeySignInAsync(string? mfaToken, CancellationToken cancellationToken) =>
        SendAsync<PasskeyOptions>(Account, HttpMethod.Post, "/api/passkeys/assertion/options", new PasskeyOptionsRequest(mfaToken), null, cancellationToken);

    public Task<ApiResult<SessionTokens>> CompletePasskeySignInAsync(PasskeyAssertion assertion, CancellationToken cancellationToken) =>
        SendAsync<SessionTokens>(Account, HttpMethod.Post, "/api/passkeys/assertion/complete", assertion, null, cancellationToken);

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
