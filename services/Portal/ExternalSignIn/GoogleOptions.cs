namespace AuthPlatform.Portal.ExternalSignIn;

/// <summary>
/// Section <c>Google</c>: the OpenID Connect client the portal is at Google (or at any provider with a discovery
/// document at <see cref="Authority"/>, such as the tests' fake). With no <see cref="ClientId"/> the button is not shown
/// and the handler is not registered.
/// </summary>
public sealed class GoogleOptions
{
    public const string Section = "Google";

    /// <summary>The issuer; its <c>/.well-known/openid-configuration</c> names the endpoints and keys.</summary>
    public string Authority { get; set; } = "https://accounts.google.com";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>Where Google sends the browser back (register <c>PublicBaseUrl</c> + this at Google).</summary>
    public string CallbackPath { get; set; } = "/signin-google";

    /// <summary>How long the browser may take between leaving for Google and the portal finishing the sign-in.</summary>
    public TimeSpan HandoffLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => ClientId.Length > 0;

    /// <summary>https, except on loopback (a developer's or the tests' fake provider).</summary>
    public bool IsValid() =>
        !Enabled || (Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
            && (authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
            && ClientSecret.Length > 0 && CallbackPath.StartsWith('/') && HandoffLifetime > TimeSpan.Zero);
}
