using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthPlatform.Contracts.Api;

// The public JSON of /api/mfa and /api/passkeys (mfa), and of /api/passkeys/assertion (account): those services
// answer with these types, and the portal sends and reads them.

/// <summary>
/// Whether 2FA is on for an account, with which <see cref="FactorMethod"/>, how many recovery codes remain and how many
/// passkeys it has (each can stand in for the second factor). Also mfa's internal answer to account.
/// </summary>
public sealed record MfaStatus(bool Enabled, string? Method, int RecoveryCodesRemaining, int Passkeys = 0);

/// <summary>POST /api/mfa/totp and /api/mfa/sms: when 2FA is already on, a current code (or a recovery code).</summary>
public sealed record StartTotpRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CurrentCode = null);

/// <summary>
/// A pending authenticator-app setup: the secret, its otpauth URI, a PNG of that URI (base64), and how many seconds mfa
/// keeps it waiting for a code.
/// </summary>
public sealed record TotpSetup(string Secret, string OtpauthUri, string QrCodePng, int SetupExpiresIn);

/// <summary>A code proving the current factor (six digits, or a recovery code).</summary>
public sealed record CodeRequest(string Code);

public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes, string? Advice = null);

public sealed record StartSmsRequest(string PhoneNumber,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CurrentCode = null);

/// <summary>
/// The masked number, the code's lifetime in seconds, why SMS is weaker than an authenticator app, and how many seconds
/// mfa keeps the number waiting for a code (a new code can be asked for meanwhile).
/// </summary>
public sealed record SmsStartedResponse(string PhoneNumber, int ExpiresIn, string Advice, int SetupExpiresIn);

/// <param name="Credential">The browser's new PublicKeyCredential as JSON (binary fields base64url; <c>PublicKeyCredential.toJSON()</c>).</param>
/// <param name="Name">What the owner calls it ("Work laptop"); a dated default when absent.</param>
public sealed record CompletePasskeyRegistrationRequest(JsonElement Credential,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null);

public sealed record RenamePasskeyRequest(string Name);

/// <summary>WebAuthn options for <c>navigator.credentials.create</c> / <c>.get</c> (binary fields base64url).</summary>
public sealed record PasskeyOptionsResponse(JsonElement Options);

/// <summary>A passkey as its owner sees it; <c>synced</c>: it may be copied to the owner's other devices (otherwise device-bound).</summary>
public sealed record PasskeyView(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Synced, bool BackedUp,
    IReadOnlyList<string> Transports, Guid Aaguid);

/// <param name="MfaToken">The password step's mfaToken when the passkey is the second factor; absent for a passkey-only sign-in.</param>
public sealed record PasskeyAssertionOptionsRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MfaToken = null);

/// <param name="Credential">The browser's PublicKeyCredential from navigator.credentials.get, as JSON (binary fields base64url).</param>
public sealed record PasskeyAssertionRequest(JsonElement Credential,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MfaToken = null);
