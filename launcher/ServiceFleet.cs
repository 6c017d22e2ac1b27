namespace AuthPlatform.Launcher;

/// <summary>One running instance of a service: its name, replica index, base URL and internal listener (0 when it has none).</summary>
public sealed class ServiceInstance(string name, int replica, int port, ChildProcess process, int internalPort = 0)
{
    public string Name => name;

    public int Replica => replica;

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}");

    public ChildProcess Process => process;

    public int Port => port;

    /// <summary>Where its /internal API listens: never behind the gateway.</summary>
    public Uri? InternalAddress { get; } = internalPort > 0 ? new($"http://127.0.0.1:{internalPort}") : null;
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
/// <param name="eventBusFor">The service's own broker connection string (its own RabbitMQ user), when there is one.</param>
public sealed class ServiceFleet(FleetOptions options, IReadOnlyDictionary<string, string> connectionStrings,
    Func<string, string?>? eventBusFor = null) : IAsyncDisposable
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

    // Who calls whose /internal API (on the callee's internal listener, with a service token).
    private static readonly Dictionary<string, string[]> InternalCallees = new()
    {
        ["account"] = ["mfa", "verification"],
        ["mfa"] = ["verification"],
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
    private readonly Dictionary<string, List<int>> _internalPorts = [];

    // One ES256 key pair per service per run: the private half to the service, the public half to its callees.
    private readonly Dictionary<string, (string PrivateKey, string PublicKey)> _serviceKeys =
        InternalCallees.Keys.ToDictionary(name => name, _ => NewKeyPair());

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
        foreach (var callee in InternalCallees.Values.SelectMany(c => c).Distinct())
        {
            _internalPorts[callee] = [.. _ports[callee].Select(_ => options.ServicePort())];
        }

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
        var instance = Launch(name, replica, _ports[name][replica], InternalPort(name, replica), _ports[name].Count > 1 ? $"{name}-{replica}" : name, null);
        _retired.AddRange(_instances.Where(i => i.Name == name && i.Replica == replica));
        _instances.RemoveAll(i => i.Name == name && i.Replica == replica);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>One more instance outside the topology (own port), with some settings changed.</summary>
    public ServiceInstance StartAdditional(string name, IReadOnlyDictionary<string, string?> overrides)
    {
        var replica = 100 + _retired.Count(i => i.Replica >= 100);
        var instance = Launch(name, replica, options.ServicePort(), _internalPorts.ContainsKey(name) ? options.ServicePort() : 0, $"{name}-extra-{replica}", overrides);
        _retired.Add(instance); // stopped with the fleet, never routed to
        return instance;
    }

    private int InternalPort(string name, int replica) => _internalPorts.TryGetValue(name, out var ports) ? ports[replica] : 0;

    private ServiceInstance Launch(string name, int replica, int port, int internalPort, string logName, IReadOnlyDictionary<string, string?>? overrides)
    {
        var environment = EnvironmentFor(name, replica, port, internalPort);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        var dll = ArtifactPaths.Binary(options.RepositoryRoot, Projects[name]);
        var process = ChildProcess.Start(logName, ArtifactPaths.DotnetHost, [dll], environment,
            Path.Combine(options.LogDirectory, logName + ".log"), Path.GetDirectoryName(dll));
        return new ServiceInstance(name, replica, port, process, internalPort);
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

    private Dictionary<string, string?> EnvironmentFor(string name, int replica, int port, int internalPort)
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
        if (eventBusFor?.Invoke(name) is { } eventBus)
        {
            defaults["ConnectionStrings__eventbus"] = eventBus;
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
        if (internalPort > 0)
        {
            // A second listener for /internal only; the gateway is never told about it.
            environment["ASPNETCORE_URLS"] += $";http://127.0.0.1:{internalPort}";
            environment["INTERNAL_HTTP_PORT"] = internalPort.ToString();
        }
        foreach (var callee in InternalCallees.GetValueOrDefault(name, []))
        {
            var ports = _internalPorts[callee];
            for (var i = 0; i < ports.Count; i++)
            {
                environment[$"services__{callee}__internal__{i}"] = $"http://127.0.0.1:{ports[i]}";
            }
        }
        if (_serviceKeys.TryGetValue(name, out var own))
        {
            environment["InternalAuth__SigningKey"] = own.PrivateKey;
        }
        foreach (var (caller, _) in InternalCallees.Where(c => c.Value.Contains(name)))
        {
            environment[$"InternalAuth__Callers__{caller}"] = _serviceKeys[caller].PublicKey;
        }
        environment["OTEL_SERVICE_NAME"] = name;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={name}-{replica}";
        foreach (var (key, value) in options.ExtraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        return environment;
    }

    private static (string PrivateKey, string PublicKey) NewKeyPair()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return (Convert.ToBase64String(key.ExportPkcs8PrivateKey()), Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The private key the launcher gave <paramref name="caller"/>: tests mint service tokens with it.</summary>
    public string ServicePrivateKey(string caller) => _serviceKeys[caller].PrivateKey;

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
