using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace AuthPlatform.Web;

/// <summary>
/// The one key every per-client limit counts by: an IPv4 address as it is, an IPv6 address by its /64 (one
/// subscriber gets a whole /64, so counting single addresses lets a client rotate past any limit), an
/// IPv4-mapped IPv6 address as the IPv4 address it carries.
/// </summary>
public static class ClientNetwork
{
    public const int IPv6PrefixLength = 64;

    /// <summary>Used when the address is not known; such requests share one bucket, as strict as any other.</summary>
    public const string Unknown = "unknown";

    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, IPv6PrefixLength / 8, bytes.Length - IPv6PrefixLength / 8);
        return $"{new IPAddress(bytes)}/{IPv6PrefixLength}";
    }

    /// <summary>For an address relayed as text (e.g. between services); anything unparsable is <see cref="Unknown"/>.</summary>
    public static string Key(string? address) => IPAddress.TryParse(address, out var parsed) ? Key(parsed) : Unknown;

    /// <summary>The network of the request's client (after the trusted forwarded headers were applied).</summary>
    public static string Of(HttpContext context) => Key(context.Connection.RemoteIpAddress);
}
