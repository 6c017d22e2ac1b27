using System.Text.Json.Serialization;

namespace AuthPlatform.Contracts.Api;

// The public JSON of /api/sessions: account answers with these types, and the portal sends and reads them.

/// <summary>
/// <c>deviceToken</c>: the one a previous sign-in on this device returned, if any. <c>requireSecondFactor</c>: a
/// remembered device does not skip the second factor this time (an app asked for <c>acr_values=mfa</c> or <c>prompt=login</c>).
/// </summary>
public sealed record SignInRequest(string Email, string Password,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeviceToken = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool RequireSecondFactor = false);

public sealed record RefreshRequest(string RefreshToken);

/// <summary><c>rememberDevice</c>: "Remember this device"; the answer then carries the device's new <c>deviceToken</c>.</summary>
public sealed record MfaSignInRequest(string MfaToken, string Method, string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool RememberDevice = false);

public sealed record MfaTokenRequest(string MfaToken);

/// <summary>The password again, and when 2FA is on a second factor (<c>method</c> "totp", "sms" or "recovery_code" with <c>code</c>).</summary>
public sealed record ReauthenticateRequest(string Password,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Method = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null);

/// <summary>
/// Either tokens, or (when a second factor is needed) <c>mfaRequired</c> with an mfaToken, the methods and
/// <c>rememberDeviceFor</c> (seconds the second step may remember the device). <c>deviceRememberedUntil</c>: the
/// device is remembered (it skipped the second factor, or was just remembered) until then. <c>deviceTokenExpiresAt</c>:
/// until when the <c>deviceToken</c> keeps this device known. Also the answer of the second step, of a refresh, of a
/// reauthentication and of a passkey sign-in.
/// </summary>
public sealed record SignInResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ExpiresIn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool MfaRequired = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MfaToken = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Methods = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeviceToken = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DeviceRememberedUntil = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RememberDeviceFor = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DeviceTokenExpiresAt = null);

/// <summary>A live session as its owner sees it (GET /api/sessions).</summary>
public sealed record SessionSummary(Guid Id, DateTimeOffset StartedAt, DateTimeOffset AuthenticatedAt, DateTimeOffset LastRefreshedAt,
    DateTimeOffset ExpiresAt, IReadOnlyList<string> Methods, bool Current);

/// <summary>A remembered device as its owner sees it (GET /api/sessions/remembered-devices).</summary>
public sealed record RememberedDeviceSummary(Guid Id, string Name, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt,
    DateTimeOffset RememberedUntil);
