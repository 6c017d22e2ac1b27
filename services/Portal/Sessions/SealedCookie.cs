using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// A small value kept in the browser only encrypted and authenticated (Data Protection, with an expiry inside the
/// sealed payload): the browser carries it but can neither read nor change it.
/// </summary>
public sealed class SealedCookie(IDataProtectionProvider protection, TimeProvider time, IOptions<PortalCookieSettings> settings)
{
    public void Write<T>(HttpContext context, string name, T value, TimeSpan lifetime)
    {
        var protector = protection.CreateProtector("AuthPlatform.Portal.Cookie", name).ToTimeLimitedDataProtector();
        var sealedValue = protector.Protect(JsonSerializer.Serialize(value), time.GetUtcNow() + lifetime);
        context.Response.Cookies.Append(name, sealedValue, PortalCookies.Options(context, settings.Value.SecurePolicy, time.GetUtcNow() + lifetime));
    }

    public T? Read<T>(HttpContext context, string name) where T : class
    {
        if (context.Request.Cookies[name] is not { Length: > 0 and < 4096 } sealedValue)
        {
            return null;
        }
        try
        {
            var protector = protection.CreateProtector("AuthPlatform.Portal.Cookie", name).ToTimeLimitedDataProtector();
            return JsonSerializer.Deserialize<T>(protector.Unprotect(sealedValue, out _));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    public void Delete(HttpContext context, string name) =>
        context.Response.Cookies.Delete(name, PortalCookies.Options(context, settings.Value.SecurePolicy, null));
}

/// <summary>Whether the portal's cookies must be Secure, decided once from PublicBaseUrl.</summary>
public sealed class PortalCookieSettings
{
    public Microsoft.AspNetCore.Http.CookieSecurePolicy SecurePolicy { get; set; } = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
}
