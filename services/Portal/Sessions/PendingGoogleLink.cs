namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// A Google sign-in whose verified address belongs to an account not linked yet, kept sealed in
/// <see cref="PortalCookies.Link"/> until the owner signs in with the password; then the link token links it.
/// </summary>
public sealed record PendingGoogleLink(string LinkToken, string Email, string ReturnUrl);
