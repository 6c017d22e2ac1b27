namespace AuthPlatform.Samples.RelyingParty;

/// <summary>Where AuthPlatform is and who this app is to it ("AuthPlatform" section).</summary>
public sealed class RelyingPartyOptions
{
    public const string Section = "AuthPlatform";

    /// <summary>The platform's public URL (its gateway): the OpenID Connect issuer.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    public bool IsValid() => Uri.TryCreate(Authority, UriKind.Absolute, out _) && ClientId.Length > 0;
}
