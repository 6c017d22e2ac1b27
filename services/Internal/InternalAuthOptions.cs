namespace AuthPlatform.Internal;

/// <summary>
/// Who this service is on the internal network and whom it admits (InternalAuth__*). The launcher (or the
/// orchestrator) generates one ES256 key pair per service and hands out the public halves to the callees.
/// </summary>
public sealed class InternalAuthOptions
{
    public const string Section = "InternalAuth";

    /// <summary>This service's name: the audience of tokens sent to it and the issuer of tokens it sends.</summary>
    public string ServiceName { get; set; } = "";

    /// <summary>This service's private key (PEM, or base64 PKCS#8); needed only by services that call others.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Public keys (PEM, or base64 SubjectPublicKeyInfo) of the services allowed to call this one, by name.</summary>
    public Dictionary<string, string> Callers { get; set; } = [];

    /// <summary>How long a service token lives: one call, so short.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The port of the internal listener (INTERNAL_HTTP_PORT); /internal is served there and nowhere else.</summary>
    public int? ListenerPort { get; set; }
}
