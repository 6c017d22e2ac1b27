namespace AuthPlatform.Account.Devices;

/// <summary>
/// A device's name in words ("Chrome on Linux") from its User-Agent: what the owner reads in the list and in the
/// "new device" email. The portal relays the browser's User-Agent; other clients send their own.
/// </summary>
public static class DeviceNames
{
    public const int MaxLength = 100;

    public static string From(string? userAgent)
    {
        var agent = userAgent ?? "";
        var browser = agent switch
        {
            _ when agent.Contains("Edg/", StringComparison.Ordinal) => "Edge",
            _ when agent.Contains("OPR/", StringComparison.Ordinal) => "Opera",
            _ when agent.Contains("Firefox/", StringComparison.Ordinal) => "Firefox",
            _ when agent.Contains("Chrome/", StringComparison.Ordinal) || agent.Contains("Chromium/", StringComparison.Ordinal) => "Chrome",
            _ when agent.Contains("Safari/", StringComparison.Ordinal) => "Safari",
            _ when agent.StartsWith("authplatform", StringComparison.OrdinalIgnoreCase) => "AuthPlatform CLI",
            _ => null,
        };
        var system = agent switch
        {
            _ when agent.Contains("Android", StringComparison.Ordinal) => "Android",
            _ when agent.Contains("iPhone", StringComparison.Ordinal) || agent.Contains("iPad", StringComparison.Ordinal) => "iOS",
            _ when agent.Contains("Windows", StringComparison.Ordinal) => "Windows",
            _ when agent.Contains("Mac OS X", StringComparison.Ordinal) || agent.Contains("Macintosh", StringComparison.Ordinal) => "macOS",
            _ when agent.Contains("CrOS", StringComparison.Ordinal) => "ChromeOS",
            _ when agent.Contains("Linux", StringComparison.Ordinal) => "Linux",
            _ => null,
        };
        var name = (browser, system) switch
        {
            ({ } b, { } s) => $"{b} on {s}",
            ({ } b, null) => b,
            (null, { } s) => $"A browser on {s}",
            _ => "An unknown device",
        };
        return name.Length <= MaxLength ? name : name[..MaxLength];
    }
}
