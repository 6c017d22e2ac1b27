namespace AuthPlatform.Launcher;

/// <summary>One running instance of a service: its name, replica index and base URL.</summary>
public sealed class ServiceInstance(string name, int replica, int port, ChildProcess process)
{
    public string Name => name;

    public int Replica => replica;

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}");

    public ChildProcess Process => process;

    public int Port => port;
}

public sealed record FleetOptions(
    string RepositoryRoot,
    string LogDirectory,
    int GatewayPort,
    Func<int> ServicePort,
    int MfaReplicas = 2,
    IReadOnlyDictionary<string, string?>? ExtraEnvironment = null,
    LocalKeyEncryption? KeyEncryption = null);

/// <summary>
/// Starts the services and the gateway from their built binaries with exactly the environment an Aspire
/// AppHost injects (ConnectionStrings__*, services__*__http__*, OTEL_*). Stands in for the AppHost where
/// the Aspire packages cannot be restored.
/// </summary>
public sealed class ServiceFleet(FleetOptions options, IReadOnlyDictionary<string, string> connectionStrings) : IAsyncDisposable
{
    // Who calls whom over HTTP (the AppHost's WithReference between projects).
    private static readonly Dictionary<string, string[]> References = new()
    {
        ["account"] = ["mfa", "verification"],
        ["verification"] = ["account"],
        ["mfa"] = ["account", "verification"],
        ["notification"] = [],
        ["gateway"] = ["account", "verification", "mfa"],
    };

    private static readonly Dictionary<string, string> Projects = new()
    {
        ["account"] = "Account",
        ["verification"] = "Verification",
        ["mfa"] = "Mfa",
        ["notification"] = "Notification",
        ["gateway"] = "Gateway",
    };

    private readonly List<ServiceInstance> _instances = [];
    private readonly List<ServiceInstance> _retired = [];
    private readonly Dictionary<string, List<int>> _ports = [];

    public IReadOnlyList<ServiceInstance> Instances => _instances;

    public Uri GatewayAddress => new($"http://127.0.0.1:{options.GatewayPort}");

    public string PublicBaseUrl => $"http://localhost:{options.GatewayPort}";

    public IEnumerable<ServiceInstance> Replicas(string name) => _instances.Where(i => i.Name == name);

    public async Task StartAsync()
    {
        foreach (var name in new[] { "account", "verification", "notification" })
        {
            _ports[name] = [options.ServicePort()];
        }
        _ports["mfa"] = [.. Enumerable.Range(0, options.MfaReplicas).Select(_ => options.ServicePort())];
        _ports["gateway"] = [options.GatewayPort];

        foreach (var (name, ports) in _ports.Where(p => p.Key != "gateway"))
        {
            for (var replica = 0; replica < ports.Count; replica++)
            {
                StartInstance(name, replica);
            }
        }
        await Task.WhenAll(_instances.Select(WaitHealthyAsync));

        await WaitHealthyAsync(StartInstance("gateway", 0));
    }

    /// <summary>Starts (again) one replica on its original port, as an orchestrator restarting it would.</summary>
    public ServiceInstance StartInstance(string name, int replica)
    {
        var instance = Launch(name, replica, _ports[name][replica], _ports[name].Count > 1 ? $"{name}-{replica}" : name, null);
        _retired.AddRange(_instances.Where(i => i.Name == name && i.Replica == replica));
        _instances.RemoveAll(i => i.Name == name && i.Replica == replica);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>One more instance outside the topology (own port), with some settings changed.</summary>
    public ServiceInstance StartAdditional(string name, IReadOnlyDictionary<string, string?> overrides)
    {
        var replica = 100 + _retired.Count(i => i.Replica >= 100);
        var instance = Launch(name, replica, options.ServicePort(), $"{name}-extra-{replica}", overrides);
        _retired.Add(instance); // stopped with the fleet, never routed to
        return instance;
    }

    private ServiceInstance Launch(string name, int replica, int port, string logName, IReadOnlyDictionary<string, string?>? overrides)
    {
        var environment = EnvironmentFor(name, replica, port);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        var dll = ArtifactPaths.Binary(options.RepositoryRoot, Projects[name]);
        var process = ChildProcess.Start(logName, ArtifactPaths.DotnetHost, [dll], environment,
            Path.Combine(options.LogDirectory, logName + ".log"), Path.GetDirectoryName(dll));
        return new ServiceInstance(name, replica, port, process);
    }

    public static Task WaitHealthyAsync(ServiceInstance instance) => WaitHealthyAsync(instance, TimeSpan.FromSeconds(120));

    public static async Task WaitHealthyAsync(ServiceInstance instance, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Ports.WaitUntilAsync($"{instance.Process.Name} (/health)", async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri(instance.BaseAddress, "/health"));
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, timeout, instance.Process);
    }

    private Dictionary<string, string?> EnvironmentFor(string name, int replica, int port)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["PublicBaseUrl"] = PublicBaseUrl,
            ["Diagnostics__ServedByHeader"] = "true",
            // Countries that may receive SMS codes (strict by default: none unless configured).
            ["Sms__AllowedRegions"] = "US,CA,GB,IE,DE,FR,NL,AU",
            // Local runs have no SMS provider: texts go to notification's log. Twilio__* settings take precedence.
            ["Sms__UseDevelopmentSender"] = "true",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        };
        foreach (var (connectionName, value) in connectionStrings)
        {
            defaults[$"ConnectionStrings__{connectionName}"] = value;
        }
        foreach (var (key, value) in options.KeyEncryption?.Environment ?? new Dictionary<string, string?>())
        {
            defaults[key] = value;
        }

        // The caller's own settings (ConnectionStrings__smtp, Twilio__*, PublicBaseUrl, …) win over defaults.
        var environment = defaults
            .Where(d => Environment.GetEnvironmentVariable(d.Key) is null)
            .ToDictionary(d => d.Key, d => d.Value);

        foreach (var reference in References[name])
        {
            var ports = _ports[reference];
            for (var i = 0; i < ports.Count; i++)
            {
                environment[$"services__{reference}__http__{i}"] = $"http://127.0.0.1:{ports[i]}";
            }
        }
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["OTEL_SERVICE_NAME"] = name;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={name}-{replica}";
        foreach (var (key, value) in options.ExtraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        return environment;
    }

    public async Task StopInstanceAsync(ServiceInstance instance) => await instance.Process.StopAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        // The gateway first, so nothing new comes in while the services drain.
        foreach (var gateway in Replicas("gateway").ToList())
        {
            await gateway.Process.DisposeAsync();
        }
        await Task.WhenAll(_instances.Concat(_retired).Where(i => i.Name != "gateway").Select(i => i.Process.DisposeAsync().AsTask()));
    }
}
