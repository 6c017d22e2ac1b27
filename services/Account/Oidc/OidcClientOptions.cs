namespace AuthPlatform.Account.Oidc;

/// <summary>One relying party as configuration registers it.</summary>
public sealed class OidcClientOptions
{
    public string ClientId { get; set; } = "";

    /// <summary>The name the consent page shows.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the client secret; empty for a public client (PKCE only).</summary>
    public string ClientSecretHash { get; set; } = "";

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    public List<string> Scopes { get; set; } = ["openid", "profile", "email"];

    public bool IsConfidential => ClientSecretHash.Length > 0;

    public bool IsValid() =>
        ClientId is { Length: > 0 and <= 100 } && DisplayName is { Length: > 0 and <= 100 }
        && (ClientSecretHash.Length == 0 || (ClientSecretHash.Length == 64 && ClientSecretHash.All(char.IsAsciiHexDigitLower)))
        && RedirectUris.Count > 0 && RedirectUris.All(IsAllowedRedirectUri) && PostLogoutRedirectUris.All(IsAllowedRedirectUri)
        && Scopes.Contains("openid") && Scopes.All(OidcOptions.SupportedScopes.Contains);

    /// <summary>Absolute, no fragment, and https unless the host is loopback (RFC 8252 §7.3, OAuth 2.0 Security BCP).</summary>
    public static bool IsAllowedRedirectUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Fragment.Length == 0
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
