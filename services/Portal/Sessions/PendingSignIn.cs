namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// A sign-in between its password and its second factor, kept sealed in <see cref="PortalCookies.SignInStep"/>;
/// <see cref="RememberDeviceFor"/>: the API offers to remember this device for that many seconds (null: no offer).
/// </summary>
public sealed record PendingSignIn(string MfaToken, IReadOnlyList<string> Methods, string ReturnUrl, int? RememberDeviceFor = null)
{
    /// <summary>The factor the code page asks for: the account's own (TOTP or SMS), never the recovery code.</summary>
    public string PrimaryMethod => Methods.FirstOrDefault(m => m != FactorMethod.RecoveryCode) ?? FactorMethod.Totp;
}
