namespace AuthPlatform.Launcher.Servers;

/// <summary>
/// RabbitMQ on loopback with its own Erlang port mapper (epmd) in the foreground, so that nothing is left
/// running as a daemon when the launcher stops.
/// </summary>
public sealed class RabbitMqServer(string dataDirectory, string logDirectory, int amqpPort, int managementPort) : IAsyncDisposable
{
    private ChildProcess? _epmd;
    private ChildProcess? _broker;

    /// <summary>One user per service, with write permission only on its own exchanges (see <see cref="BrokerUsers"/>).</summary>
    public BrokerUsers Users { get; } = new();

    public int Port => amqpPort;

    public bool HasManagement => managementPort > 0;

    /// <summary>The loopback-only administrator (management UI, tests that inspect queues); no service uses it.</summary>
    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{amqpPort}";

    /// <summary>The service's own user; null for a service that does not use the bus.</summary>
    public string? ConnectionStringFor(string service) =>
        Users.Names.Contains(service) ? $"amqp://{service}:{Users.PasswordOf(service)}@127.0.0.1:{amqpPort}" : null;

    public string ManagementUrl => $"http://localhost:{managementPort}";

    public async Task StartAsync()
    {
        var server = ServerBinary.Require("RabbitMQ", "apt-get install rabbitmq-server", "/usr/lib/rabbitmq/bin/rabbitmq-server");
        var epmd = ServerBinary.Require("Erlang epmd", "apt-get install rabbitmq-server", "/usr/bin/epmd");
        Directory.CreateDirectory(dataDirectory);

        var epmdPort = Ports.Free();
        var distributionPort = Ports.Free();
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = dataDirectory, // the Erlang cookie lives here
            ["ERL_EPMD_PORT"] = epmdPort.ToString(),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODENAME"] = $"authplatform{amqpPort}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dataDirectory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(dataDirectory, "log"),
            ["RABBITMQ_LOGS"] = "-",
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(dataDirectory, "rabbitmq"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dataDirectory, "enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(dataDirectory, "rabbitmq.pid"),
        };

        var definitions = Path.Combine(dataDirectory, "definitions.json");
        await File.WriteAllTextAsync(definitions, Users.Definitions());
        var config = "loopback_users.guest = true\nlisteners.tcp.default = " + amqpPort + "\n" + $"load_definitions = {definitions}\n";
        if (HasManagement)
        {
            config += $"management.tcp.port = {managementPort}\nmanagement.tcp.ip = 127.0.0.1\n";
        }
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "rabbitmq.conf"), config);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "enabled_plugins"), HasManagement ? "[rabbitmq_management].\n" : "[].\n");

        _epmd = ChildProcess.Start("epmd", epmd, ["-port", epmdPort.ToString(), "-address", "127.0.0.1"], environment,
            Path.Combine(logDirectory, "epmd.log"));
        await Ports.WaitUntilAsync("epmd", () => Ports.AcceptsAsync(epmdPort), TimeSpan.FromSeconds(15), _epmd);

        _broker = ChildProcess.Start("rabbitmq", server, [], environment, Path.Combine(logDirectory, "rabbitmq.log"));
        await Ports.WaitUntilAsync("RabbitMQ", () => Ports.AcceptsAsync(amqpPort), TimeSpan.FromSeconds(90), _broker);
    }

    public async Task StopAsync()
    {
        if (_broker is not null)
        {
            await _broker.StopAsync(TimeSpan.FromSeconds(20));
            await _broker.DisposeAsync();
            _broker = null;
        }
        if (_epmd is not null)
        {
            await _epmd.DisposeAsync();
            _epmd = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
