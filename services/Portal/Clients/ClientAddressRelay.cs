namespace AuthPlatform.Portal.Clients;

/// <summary>
/// Tells the platform which browser a call is made for: the browser's address (as the portal learnt it from the
/// gateway's X-Forwarded-For, which the gateway sets and never appends to) goes out as the only X-Forwarded-For
/// entry. The services believe it because the portal is one of their known proxies, exactly like the gateway, so
/// their per-client-network throttles and lockouts count the browser, not the portal. Whatever a browser itself
/// sent in that header was replaced at the gateway and is never relayed. The browser's User-Agent goes along too: it
/// names the device in the remembered-devices list and the new-device email.
/// </summary>
public sealed class ClientAddressRelay(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("X-Forwarded-For");
        if (accessor.HttpContext is { } context)
        {
            if (context.Connection.RemoteIpAddress is { } address)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
            }
            if (context.Request.Headers.UserAgent.ToString() is { Length: > 0 and <= 512 } userAgent)
            {
                request.Headers.Remove("User-Agent");
                request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            }
            if (context.Request.Headers["X-Correlation-Id"].ToString() is { Length: > 0 and <= 64 } correlationId)
            {
                request.Headers.TryAddWithoutValidation("X-Correlation-Id", correlationId);
            }
        }
        return base.SendAsync(request, cancellationToken);
    }
}
