namespace AuthPlatform.Contracts;

/// <summary>
/// The names of the second-factor methods, as mfa stores them, account asks for them at sign-in and the
/// <see cref="MfaEnabled"/> event carries them.
/// </summary>
public static class FactorMethod
{
    public const string Totp = "totp";
    public const string Sms = "sms";
    public const string RecoveryCode = "recovery_code";

    /// <summary>Not a code: a sign-in's second step answered with a passkey (POST /api/passkeys/assertion/complete with the mfaToken); also mfa's throttle key.</summary>
    public const string Passkey = "passkey";

    /// <summary>A method a sign-in may name: the enrolled factor or a recovery code.</summary>
    public static bool IsKnown(string? method) => method is Totp or Sms or RecoveryCode;
}
