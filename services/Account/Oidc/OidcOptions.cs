namespace AuthPlatform.Account.Oidc;

/// <summary>
/// The OpenID Connect provider's settings ("Oidc" section): the relying parties registered by configuration
/// (docs/oidc.md, Registering a client).
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Oidc";

    /// <summary>The scopes a client may be allowed; anything else in configuration is refused at start.</summary>
    public static readonly string[] SupportedScopes = ["openid", "profile", "email", "offline_access"];

    public List<OidcClientOptions> Clients { get; set; } = [];

    /// <summary>How long the portal's hand-off of a signed-in, consenting person to the authorization endpoint lives.</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an authorization code can be redeemed (RFC 6749 §4.1.2: short; at most 10 minutes).</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsValid() =>
        TicketLifetime > TimeSpan.Zero && TicketLifetime <= TimeSpan.FromMinutes(10)
        && AuthorizationCodeLifetime > TimeSpan.Zero && AuthorizationCodeLifetime <= TimeSpan.FromMinutes(10)
        && Clients.All(client => client.IsValid())
        && Clients.Select(client => client.ClientId).Distinct(StringComparer.Ordinal).Count() == Clients.Count;
}
