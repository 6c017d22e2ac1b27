namespace AuthPlatform.AppHost;

/// <summary>Where PostgreSQL, Redis, RabbitMQ and the SMTP sink come from.</summary>
public enum ServerMode
{
    /// <summary>Containers when a container engine answers (<c>docker info</c> / <c>podman info</c>), local processes otherwise.</summary>
    Auto,

    /// <summary>AddPostgres / AddRedis / AddRabbitMQ and a MailDev container: needs a running Docker or Podman engine.</summary>
    Containers,

    /// <summary>The Debian servers as executable resources on loopback, data under the data folder.</summary>
    Local,
}

/// <summary>
/// The AppHost's own settings (section "Platform", e.g. <c>Platform__Servers=local</c>, or the command-line switches
/// <c>--servers</c>, <c>--data</c>, <c>--port-base</c>, <c>--mfa-replicas</c>, <c>--reset</c>); GATEWAY_PORT moves the gateway.
/// </summary>
public sealed record PlatformSettings
{
    public const string Section = "Platform";

    public ServerMode Servers { get; init; } = ServerMode.Auto;

    /// <summary>Where local servers keep their data and the key-encryption certificate lives (default: .data/ in the repository).</summary>
    public string? DataPath { get; init; }

    /// <summary>Local servers fsync their data; throwaway test clusters turn it off.</summary>
    public bool DurableData { get; init; } = true;

    /// <summary>Servers on PortBase+1…+8, services from PortBase+10; 0 takes free ports (tests).</summary>
    public int PortBase { get; init; } = 15300;

    public int GatewayPort { get; init; } = 8080;

    public int MfaReplicas { get; init; } = 2;

    /// <summary>Print the URLs once the platform is ready (./run.sh); tests turn it off.</summary>
    public bool PrintSummary { get; init; } = true;

    /// <summary>Wipe the data folder before starting (<c>--reset</c>).</summary>
    public bool Reset { get; init; }

    /// <summary>Where each resource's log is copied, one file per resource (default: the data folder's logs/).</summary>
    public string? LogPath { get; init; }

    /// <summary>Settings every service gets (tests: short TTLs, lifted limits); the AppHost's own environment also reaches them.</summary>
    public Dictionary<string, string?> ServiceEnvironment { get; init; } = [];

    /// <summary>Ports handed out in order from <see cref="PortBase"/>, or free ones.</summary>
    public Func<int> PortSource(int offset)
    {
        var next = PortBase + offset;
        return PortBase == 0 ? Ports.Free : () => next++;
    }

    /// <summary>The command-line switches ./run.sh documents, as configuration keys.</summary>
    public static string[] TranslateSwitches(string[] args)
    {
        var switches = new Dictionary<string, string>
        {
            ["--servers"] = "Servers", ["--data"] = "DataPath", ["--port-base"] = "PortBase", ["--mfa-replicas"] = "MfaReplicas",
        };
        var translated = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--reset")
            {
                translated.Add($"--{Section}:Reset=true");
            }
            else if (switches.TryGetValue(args[i], out var key) && i + 1 < args.Length)
            {
                translated.Add($"--{Section}:{key}={args[++i]}");
            }
            else
            {
                translated.Add(args[i]);
            }
        }
        return [.. translated];
    }
}
