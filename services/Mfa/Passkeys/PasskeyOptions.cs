using Fido2NetLib;

namespace AuthPlatform.Mfa.Passkeys;

/// <summary>
/// The WebAuthn relying party (<c>Mfa__Passkeys__*</c>): its id is the host of <c>PublicBaseUrl</c> and the only
/// origin accepted is that URL's own (scheme, host, port), compared exactly.
/// </summary>
public sealed class PasskeyOptions
{
    public const string Section = "Mfa:Passkeys";

    /// <summary>The gateway's public URL (the root setting <c>PublicBaseUrl</c>).</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The name browsers show next to a passkey.</summary>
    public string RelyingPartyName { get; set; } = "AuthPlatform";

    /// <summary>How long a challenge may be answered (also the browser's timeout).</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxPerAccount { get; set; } = 20;

    /// <summary>WebAuthn challenges: 32 random bytes.</summary>
    public const int ChallengeBytes = 32;

    public const int MaxNameLength = PasskeyCalls.MaxNameLength;

    public bool IsValid() => Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
        && RelyingPartyName.Length is > 0 and <= 64 && ChallengeLifetime > TimeSpan.Zero && MaxPerAccount > 0;

    public Fido2Configuration ToFido2Configuration()
    {
        var url = new Uri(PublicBaseUrl);
        return new Fido2Configuration
        {
            RPID = url.Host,
            RPName = RelyingPartyName,
            Origins = new HashSet<string>([url.GetLeftPart(UriPartial.Authority)], StringComparer.Ordinal),
            ChallengeSize = ChallengeBytes,
            Timeout = (uint)ChallengeLifetime.TotalMilliseconds,
        };
    }
}
