using System.Text.Json.Serialization;

namespace AuthPlatform.Portal.Clients;

// The platform's public JSON contract as the portal uses it (docs/api.md). Requests carry exactly the fields the
// API knows (it refuses unknown ones); answers are read leniently.

public sealed record Credentials(string Email, string Password,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeviceToken = null);

public sealed record EmailRequest(string Email);

public sealed record TokenRequest(string Token);

public sealed record PasswordResetConfirmation(string Token, string NewPassword);

public sealed record SecondFactorProof(string MfaToken, string Method, string Code);

public sealed record MfaTokenRequest(string MfaToken);

public sealed record RefreshTokenRequest(string RefreshToken);

/// <summary>The answer to a password sign-in: tokens, or the second step (<see cref="MfaRequired"/>).</summary>
public sealed record SignInAnswer(string? AccessToken, string? RefreshToken, int? ExpiresIn, bool MfaRequired, string? MfaToken,
    IReadOnlyList<string>? Methods, string? DeviceToken);

public sealed record SessionTokens(string AccessToken, string? RefreshToken, int ExpiresIn);

public sealed record AccountProfile(Guid Id, string Email, bool EmailVerified, MfaSummary? Mfa);

public sealed record MfaSummary(bool Enabled, string? Method);

public sealed record MfaStatus(bool Enabled, string? Method, int RecoveryCodesRemaining);

/// <summary>The second-factor methods as the API names them.</summary>
public static class FactorMethods
{
    public const string Totp = "totp";
    public const string Sms = "sms";
    public const string RecoveryCode = "recovery_code";
}
