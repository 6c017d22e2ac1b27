namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// The address this browser just signed up with, kept sealed in <see cref="PortalCookies.SignUp"/> for the "Check your
/// email" page and to fill in the sign-in form once the link was pressed in the same browser. Never the password.
/// </summary>
public sealed record PendingSignUp(string Email)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);
}
