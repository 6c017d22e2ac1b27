using System.Text.Json.Serialization;

namespace AuthPlatform.Portal.Clients;

// The platform's public JSON contract as the portal uses it (docs/api.md). Requests carry exactly the fields the
// API knows (it refuses unknown ones); answers are read leniently.

public sealed record Credentials(string Email, string Password,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeviceToken = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool RequireSecondFactor = false);

public sealed record EmailRequest(string Email);

public sealed record TokenRequest(string Token);

public sealed record PasswordResetConfirmation(string Token, string NewPassword);

public sealed record SecondFactorProof(string MfaToken, string Method, string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool RememberDevice = false);

public sealed record MfaTokenRequest(string MfaToken);

public sealed record RefreshTokenRequest(string RefreshToken);

/// <summary>
/// The answer to a password sign-in: tokens, or the second step (<see cref="MfaRequired"/>, with how long it may
/// remember this device: <see cref="RememberDeviceFor"/> seconds). <see cref="DeviceRememberedUntil"/>: a remembered
/// device skipped the second factor.
/// </summary>
public sealed record SignInAnswer(string? AccessToken, string? RefreshToken, int? ExpiresIn, bool MfaRequired, string? MfaToken,
    IReadOnlyList<string>? Methods, string? DeviceToken, DateTimeOffset? DeviceRememberedUntil = null, int? RememberDeviceFor = null);

/// <summary>Tokens; after a second step that remembered the device, also its new device token and until when.</summary>
public sealed record SessionTokens(string AccessToken, string? RefreshToken, int ExpiresIn, string? DeviceToken = null,
    DateTimeOffset? DeviceRememberedUntil = null);

public sealed record AccountProfile(Guid Id, string Email, bool EmailVerified, MfaSummary? Mfa);

public sealed record MfaSummary(bool Enabled, string? Method);

public sealed record MfaStatus(bool Enabled, string? Method, int RecoveryCodesRemaining, int Passkeys = 0);

/// <summary>How the account signs in: whether it has a password, and its linked identities.</summary>
public sealed record SignInMethodList(bool HasPassword, IReadOnlyList<LinkedIdentity> Identities);

public sealed record LinkedIdentity(Guid Id, string Provider, string Email, DateTimeOffset LinkedAt);

public sealed record LinkTokenRequest(string LinkToken);

/// <summary>The second-factor methods as the API names them.</summary>
public static class FactorMethods
{
    public const string Totp = "totp";
    public const string Sms = "sms";
    public const string RecoveryCode = "recovery_code";

    /// <summary>Not a code: the second step can be answered with a passkey (POST /api/passkeys/assertion/complete with the mfaToken).</summary>
    public const string Passkey = "passkey";
}

// Account page: two-factor settings, reauthentication, password, sessions, access keys.

/// <summary>POST /api/mfa/totp and /api/mfa/sms: when 2FA is already on, a current code (or a recovery code).</summary>
public sealed record AuthenticatorSetupRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CurrentCode = null);

/// <summary>A pending authenticator-app setup: the secret, its otpauth URI, and the API's PNG of that URI.</summary>
public sealed record AuthenticatorSetup(string Secret, string OtpauthUri, string? QrCodePng);

public sealed record PhoneEnrolmentRequest(string PhoneNumber,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CurrentCode = null);

/// <summary>The answer to POST /api/mfa/sms: the masked number, the code's lifetime in seconds, and why SMS is weaker.</summary>
public sealed record PhoneCodeSent(string PhoneNumber, int ExpiresIn, string? Advice);

/// <summary>A code proving the current factor (six digits, or a recovery code).</summary>
public sealed record FactorCode(string Code);

public sealed record RecoveryCodeList(IReadOnlyList<string> RecoveryCodes);

public sealed record ReauthenticationProof(string Password,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Method = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null);

public sealed record PasswordChange(string CurrentPassword, string NewPassword);

/// <summary>A live session of the account (GET /api/sessions).</summary>
public sealed record SignedInDevice(Guid Id, DateTimeOffset StartedAt, DateTimeOffset AuthenticatedAt, DateTimeOffset LastRefreshedAt,
    DateTimeOffset ExpiresAt, IReadOnlyList<string>? Methods, bool Current);

/// <summary>A device that skips the second factor (GET /api/sessions/remembered-devices).</summary>
public sealed record RememberedDeviceListing(Guid Id, string Name, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, DateTimeOffset RememberedUntil);

public sealed record AccessKeyName(string Name);

/// <summary>A key just created: its secret appears only in this answer.</summary>
public sealed record NewAccessKey(Guid Id, string Name, string AccessKeyId, string Secret, DateTimeOffset CreatedAt);

public sealed record AccessKeyListing(Guid Id, string Name, string AccessKeyId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>An app the person has allowed to use their account (GET /api/connected-apps).</summary>
public sealed record AllowedApp(string ClientId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? AllowedAt);

// Passkeys (WebAuthn): /api/passkeys at mfa, /api/passkeys/assertion at account.

/// <summary>WebAuthn options as the API gives them (binary fields base64url), passed to the page's script as they are.</summary>
public sealed record PasskeyOptions(System.Text.Json.JsonElement Options);

/// <summary>The browser's new credential (its JSON as the page's script made it) and the name the owner chose.</summary>
public sealed record NewPasskey(System.Text.Json.JsonElement Credential,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null);

public sealed record PasskeyName(string Name);

/// <summary>A passkey of the account; <see cref="Synced"/>: it may be on the owner's other devices too (otherwise device-bound).</summary>
public sealed record PasskeyListing(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Synced);

public sealed record PasskeyOptionsRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MfaToken = null);

public sealed record PasskeyAssertion(System.Text.Json.JsonElement Credential,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MfaToken = null);
