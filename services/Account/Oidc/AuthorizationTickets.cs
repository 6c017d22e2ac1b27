using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Oidc;

/// <summary>
/// Who signed in at the portal, how and when, for one client, with the consent (authorization) that covers it; or,
/// <paramref name="Denied"/>, that they refused the client (no authorization).
/// </summary>
public sealed record AuthorizationTicket(Guid AccountId, string ClientId, string AuthorizationId, string[] Methods, long AuthTime, bool Denied = false);

/// <summary>
/// The portal's hand-off to /connect/authorize, sealed with this service's Data Protection ring and dead after
/// Oidc:TicketLifetime. It names its client, so it cannot authorize another one.
/// </summary>
public sealed class AuthorizationTickets(IDataProtectionProvider protection, IOptions<OidcOptions> options)
{
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("AuthPlatform.Account.Oidc.AuthorizationTicket").ToTimeLimitedDataProtector();

    public TimeSpan Lifetime => options.Value.TicketLifetime;

    public string Seal(AuthorizationTicket ticket) =>
        _protector.Protect(JsonSerializer.Serialize(ticket), Lifetime);

    public AuthorizationTicket? Open(string? sealedTicket, string clientId)
    {
        if (sealedTicket is not { Length: > 0 and < 4096 })
        {
            return null;
        }
        try
        {
            var ticket = JsonSerializer.Deserialize<AuthorizationTicket>(_protector.Unprotect(sealedTicket));
            return ticket is not null && string.Equals(ticket.ClientId, clientId, StringComparison.Ordinal) ? ticket : null;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
