using AuthPlatform.AppHost;

namespace AuthPlatform.Testing;

/// <summary>A running copy of a service: what tests address, and its process.</summary>
public sealed class ServiceInstance(string name, int replica, int port, int internalPort, IServiceProcess process)
{
    public string Name => name;

    public int Replica => replica;

    public int Port => port;

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}");

    /// <summary>Where its /internal API listens: never behind the gateway.</summary>
    public Uri? InternalAddress { get; } = internalPort > 0 ? new($"http://127.0.0.1:{internalPort}") : null;

    public IServiceProcess Process => process;
}

/// <summary>
/// The services of the platform the AppHost runs: their replicas, stopping and starting one (the AppHost's resource
/// commands), and extra instances outside the topology started directly from the built binary with the platform's
/// environment.
/// </summary>
public sealed class ServiceFleet(PlatformLayout layout, ResourceWatch watch, ResourceCommandService commands) : IAsyncDisposable
{
    private readonly List<ChildProcess> _additional = [];

    public IReadOnlyList<ServiceInstance> Instances =>
        [.. layout.Topology.Instances.Select(i => new ServiceInstance(i.Service, i.Replica, i.Port, i.InternalPort, Resource(i.ResourceName)))];

    public IEnumerable<ServiceInstance> Replicas(string name) => Instances.Where(i => i.Name == name);

    public Uri GatewayAddress => new($"http://127.0.0.1:{layout.Topology.Gateway.Port}");

    public string PublicBaseUrl => layout.Topology.PublicBaseUrl;

    /// <summary>The private key the AppHost gave <paramref name="caller"/>: tests mint service tokens with it.</summary>
    public string ServicePrivateKey(string caller) => layout.Topology.ServicePrivateKey(caller);

    private ResourceProcess Resource(string resourceName) => new(resourceName, layout, watch, commands);

    public async Task StopInstanceAsync(ServiceInstance instance) => await instance.Process.StopAsync(TimeSpan.FromSeconds(10));

    /// <summary>Starts a stopped replica again (same ports) and waits until it is healthy.</summary>
    public async Task<ServiceInstance> StartInstanceAsync(string name, int replica)
    {
        var instance = Replicas(name).Single(i => i.Replica == replica);
        await ((ResourceProcess)instance.Process).StartAsync();
        await WaitHealthyAsync(instance);
        return instance;
    }

    /// <summary>
    /// Waits until the gateway serves <paramref name="path"/> again after a restart: it took the stopped instance out
    /// of rotation, and its next successful probe brings the new one back.
    /// </summary>
    public async Task WaitUntilGatewayServesAsync(string path, string what, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromSeconds(5) };
        await PlatformFixture.EventuallyAsync($"the gateway routes to {what}", async () =>
        {
            try
            {
                using var response = await http.GetAsync(path);
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, timeout);
    }

    /// <summary>One more instance outside the topology (own ports), with some settings changed (null removes one).</summary>
    public ServiceInstance StartAdditional(string name, IReadOnlyDictionary<string, string?> overrides)
    {
        var replica = 100 + _additional.Count;
        var slot = layout.Topology.Instances.First(i => i.Service == name);
        var port = layout.Topology.NextPort();
        var internalPort = slot.InternalPort > 0 ? layout.Topology.NextPort() : 0;
        var environment = PlatformEnvironment.For(slot, layout, port, internalPort).ToDictionary(e => e.Key, e => (string?)e.Value);
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }
        var dll = PlatformEnvironment.Binary(layout.RepositoryRoot, name);
        var logName = $"{name}-extra-{replica}";
        var process = ChildProcess.Start(logName, PlatformEnvironment.DotnetHost, [dll], environment,
            Path.Combine(layout.LogDirectory, logName + ".log"), Path.GetDirectoryName(dll));
        _additional.Add(process); // stopped with the fleet, never routed to
        return new ServiceInstance(name, replica, port, internalPort, process);
    }

    public static Task WaitHealthyAsync(ServiceInstance instance) => WaitHealthyAsync(instance, TimeSpan.FromSeconds(120));

    public static async Task WaitHealthyAsync(ServiceInstance instance, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(instance.BaseAddress, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{instance.Process.Name} was not healthy within {timeout.TotalSeconds:0} s. Last lines of {instance.Process.LogPath}:\n{instance.Process.LogTail()}");
            }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_additional.Select(p => p.DisposeAsync().AsTask()));
    }
}
