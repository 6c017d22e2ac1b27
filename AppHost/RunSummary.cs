using Microsoft.Extensions.Configuration;

namespace AuthPlatform.AppHost;

/// <summary>What ./run.sh prints once the gateway is ready.</summary>
public static class RunSummary
{
    public static string Text(PlatformLayout layout, IConfiguration configuration)
    {
        var lines = new List<string>
        {
            "",
            "AuthPlatform is running.",
            $"  Gateway:      {layout.Topology.PublicBaseUrl}   (try: curl {layout.Topology.PublicBaseUrl}/health)",
            $"  Portal:       {layout.Topology.PublicBaseUrl}/   (sign up, sign in, two-factor, access keys)",
            $"  Dashboard:    {DashboardLogin(configuration) ?? "off"}",
        };
        lines.AddRange(layout.Servers.Consoles.Select(console => $"  {console.Key + ":",-13} {console.Value}"));
        lines.Add($"  Services:     {string.Join(", ", layout.Topology.Instances.Where(i => i.Service != "gateway").Select(i => $"{i.ResourceName} {i.BaseAddress}"))}");
        lines.Add($"  Data:         {layout.DataDirectory}");
        lines.Add($"  Logs:         {layout.LogDirectory}");
        lines.Add("Press Ctrl-C to stop everything.");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The dashboard's address with its one-time login token (the same link the AppHost logs).</summary>
    private static string? DashboardLogin(IConfiguration configuration)
    {
        var url = configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (url is null)
        {
            return null;
        }
        var token = configuration["AppHost:BrowserToken"];
        return string.IsNullOrEmpty(token) ? url : $"{url.TrimEnd('/')}/login?t={token}";
    }
}
