using System.Security.Cryptography;

namespace AuthPlatform.AppHost;

/// <summary>One running copy of a service: its resource name, replica index and ports.</summary>
public sealed record ServiceReplica(string Service, int Replica, string ResourceName, int Port, int InternalPort)
{
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Where its /internal API listens: never behind the gateway.</summary>
    public Uri? InternalAddress => InternalPort > 0 ? new($"http://127.0.0.1:{InternalPort}") : null;
}

/// <summary>
/// Who runs where and who may call whom: the services' ports, their references to each other, the internal listeners
/// and the service-token keys. The AppHost turns it into each project's environment; tests read it (ports, keys) and
/// start extra instances with <see cref="EnvironmentFor"/>.
/// </summary>
public sealed class ServiceTopology
{
    public static readonly string[] Services = ["account", "verification", "mfa", "notification", "portal", "gateway"];

    // Who calls whom over HTTP.
    private static readonly Dictionary<string, string[]> References = new()
    {
        ["account"] = ["mfa", "verification"],
        ["verification"] = ["account"],
        ["mfa"] = ["account", "verification"],
        ["notification"] = [],
        // The portal calls the public APIs for the browser in front of it, relaying its address like the gateway does.
        ["portal"] = ["account", "verification", "mfa"],
        ["gateway"] = ["account", "verification", "mfa", "portal"],
    };

    // Who calls whose /internal API (on the callee's internal listener, with a service token).
    private static readonly Dictionary<string, string[]> InternalCallees = new()
    {
        ["account"] = ["mfa", "verification"],
        ["mfa"] = ["verification"],
        // The portal hands account a person it signed in at Google (ExternalSignInCalls).
        ["portal"] = ["account"],
    };

    private readonly Func<int> _port;
    private readonly List<ServiceReplica> _instances = [];

    // One ES256 key pair per calling service per run: the private half to the service, the public half to its callees.
    private readonly Dictionary<string, (string PrivateKey, string PublicKey)> _serviceKeys =
        InternalCallees.Keys.ToDictionary(name => name, _ => NewKeyPair());

    public ServiceTopology(int gatewayPort, int mfaReplicas, Func<int> port)
    {
        _port = port;
        foreach (var service in Services)
        {
            var replicas = service == "mfa" ? mfaReplicas : 1;
            for (var replica = 0; replica < replicas; replica++)
            {
                var http = service == "gateway" ? gatewayPort : port();
                _instances.Add(new ServiceReplica(service, replica, replicas > 1 ? $"{service}-{replica}" : service, http, IsInternalCallee(service) ? port() : 0));
            }
        }
    }

    public IReadOnlyList<ServiceReplica> Instances => _instances;

    public ServiceReplica Gateway => _instances.Single(i => i.Service == "gateway");

    /// <summary>The gateway's URL: what email links and the token issuer use.</summary>
    public string PublicBaseUrl => $"http://localhost:{Gateway.Port}";

    public IEnumerable<ServiceReplica> Replicas(string service) => _instances.Where(i => i.Service == service);

    /// <summary>A port for something outside the topology (an extra instance a test starts).</summary>
    public int NextPort() => _port();

    public static bool IsInternalCallee(string service) => InternalCallees.Values.Any(callees => callees.Contains(service));

    /// <summary>The caller's private key for its service tokens (ES256, PKCS#8, base64).</summary>
    public const string SigningKeySetting = "InternalAuth__SigningKey";

    /// <summary>A callee's copy of <paramref name="caller"/>'s public key (SubjectPublicKeyInfo, base64).</summary>
    public static string CallerKeySetting(string caller) => $"InternalAuth__Callers__{caller}";

    /// <summary>The services <paramref name="service"/> calls over HTTP (their public listener).</summary>
    public static IReadOnlyList<string> ReferencesOf(string service) => References[service];

    /// <summary>The services whose /internal API <paramref name="service"/> calls, with a service token it signs.</summary>
    public static IReadOnlyList<string> InternalCalleesOf(string service) => InternalCallees.GetValueOrDefault(service, []);

    /// <summary>The services that call <paramref name="service"/>'s /internal API, whose public keys it trusts.</summary>
    public static IEnumerable<string> InternalCallersOf(string service) =>
        InternalCallees.Where(c => c.Value.Contains(service)).Select(c => c.Key);

    /// <summary>The private key <paramref name="caller"/> signs its service tokens with.</summary>
    public string ServicePrivateKey(string caller) => _serviceKeys[caller].PrivateKey;

    /// <summary>
    /// The wiring of one instance: listeners, where the others are (services__*), its internal listener and
    /// service-token keys. Nothing here is a setting an operator chooses; it always wins.
    /// </summary>
    public Dictionary<string, string> EnvironmentFor(string service, int replica, int port, int internalPort)
    {
        var environment = new Dictionary<string, string>();
        foreach (var reference in References[service])
        {
            foreach (var instance in Replicas(reference))
            {
                environment[$"services__{reference}__http__{instance.Replica}"] = instance.BaseAddress.ToString().TrimEnd('/');
            }
        }
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        if (internalPort > 0)
        {
            // A second listener for /internal only; the gateway is never told about it.
            environment["ASPNETCORE_URLS"] += $";http://127.0.0.1:{internalPort}";
            environment["INTERNAL_HTTP_PORT"] = internalPort.ToString();
        }
        foreach (var callee in InternalCalleesOf(service))
        {
            foreach (var instance in Replicas(callee))
            {
                environment[$"services__{callee}__internal__{instance.Replica}"] = instance.InternalAddress!.ToString().TrimEnd('/');
            }
        }
        if (_serviceKeys.TryGetValue(service, out var own))
        {
            environment[SigningKeySetting] = own.PrivateKey;
        }
        foreach (var caller in InternalCallersOf(service))
        {
            environment[CallerKeySetting(caller)] = _serviceKeys[caller].PublicKey;
        }
        // X-Served-By and telemetry name the service, not the replica.
        environment["OTEL_SERVICE_NAME"] = service;
        return environment;
    }

    private static (string PrivateKey, string PublicKey) NewKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (Convert.ToBase64String(key.ExportPkcs8PrivateKey()), Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }
}
