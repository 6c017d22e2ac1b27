namespace AuthPlatform.Portal.ExternalSignIn;

/// <summary>The "Sign in with Google" link (a GET: it only starts the redirect to Google).</summary>
public sealed record GoogleButton(bool Enabled, string? ReturnUrl)
{
    public string Href => ReturnUrl is { Length: > 0 } url && url != "/account"
        ? $"{GoogleSignIn.StartPath}?returnUrl={Uri.EscapeDataString(url)}"
        : GoogleSignIn.StartPath;
}
