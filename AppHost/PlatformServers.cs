using System.Diagnostics;
using AuthPlatform.AppHost.LocalServers;

namespace AuthPlatform.AppHost;

/// <summary>PostgreSQL, Redis, RabbitMQ and the SMTP sink, and how a service is connected to them.</summary>
public abstract class PlatformServers
{
    /// <summary>The connection strings each service reads.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Connections = new Dictionary<string, string[]>
    {
        ["account"] = ["accountdb", "redis", "eventbus"],
        ["verification"] = ["redis", "eventbus"],
        ["mfa"] = ["mfadb", "redis", "eventbus"],
        ["notification"] = ["redis", "eventbus", "smtp"],
        ["portal"] = ["portaldb"],
        ["gateway"] = [],
    };

    public static readonly string[] Databases = ["accountdb", "mfadb", "portaldb"];

    /// <summary>Gives <paramref name="project"/> ConnectionStrings__&lt;connection&gt; and makes it wait for that server.</summary>
    public abstract void Connect<T>(IResourceBuilder<T> project, string service, string connection)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport;

    /// <summary>Operator-facing URLs (mail UI, RabbitMQ UI), printed by ./run.sh.</summary>
    public abstract IReadOnlyDictionary<string, string> Consoles { get; }

    /// <summary>Containers only when an engine answers: a docker CLI without an engine exists, and AddRedis then hangs.</summary>
    public static bool ContainerEngineAnswers()
    {
        foreach (var cli in new[] { "docker", "podman" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(cli, "info")
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                });
                if (process is null)
                {
                    continue;
                }
                _ = process.StandardOutput.ReadToEndAsync();
                _ = process.StandardError.ReadToEndAsync();
                if (process.WaitForExit(TimeSpan.FromSeconds(15)) && process.ExitCode == 0)
                {
                    return true;
                }
                process.Kill(entireProcessTree: true);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }
        return false;
    }
}

/// <summary>The servers as executable resources on loopback (no container engine needed).</summary>
public sealed class LocalPlatformServers : PlatformServers
{
    private readonly Dictionary<string, (IResourceBuilder<ExecutableResource> Server, Func<string, string> ConnectionString)> _connections = [];

    public LocalPlatformServers(IDistributedApplicationBuilder builder, string repositoryRoot, string dataDirectory, bool durable, Func<int> port)
    {
        PostgresPort = port();
        RedisPort = port();
        AmqpPort = port();
        ManagementPort = port();
        SmtpPort = port();
        MailWebPort = port();
        var epmdPort = port();
        var distributionPort = port();

        var postgres = builder.AddLocalPostgres("postgres", Path.Combine(dataDirectory, "postgres"), PostgresPort, durable, Databases);
        var redis = builder.AddLocalRedis("redis", Path.Combine(dataDirectory, "redis"), RedisPort, durable);
        var eventBus = builder.AddLocalRabbitMq("eventbus", Path.Combine(dataDirectory, "rabbitmq"), BrokerUsers, AmqpPort, ManagementPort, epmdPort, distributionPort);
        var maildev = builder.AddLocalMailDev("maildev", repositoryRoot, Path.Combine(dataDirectory, "mail"), SmtpPort, MailWebPort);

        foreach (var database in Databases)
        {
            _connections[database] = (postgres, _ => LocalPostgres.ConnectionString(PostgresPort, database));
        }
        _connections["redis"] = (redis, _ => LocalRedis.ConnectionString(RedisPort));
        _connections["eventbus"] = (eventBus, EventBusFor);
        _connections["smtp"] = (maildev, _ => SmtpConnectionString);
    }

    public int PostgresPort { get; }

    public int RedisPort { get; }

    public int AmqpPort { get; }

    public int ManagementPort { get; }

    public int SmtpPort { get; }

    public int MailWebPort { get; }

    /// <summary>One broker user per service, with write permission only on its own exchanges.</summary>
    public BrokerUsers BrokerUsers { get; } = new();

    public string SmtpConnectionString => $"smtp://127.0.0.1:{SmtpPort}";

    /// <summary>The service's own broker user.</summary>
    public string EventBusFor(string service) => $"amqp://{service}:{BrokerUsers.PasswordOf(service)}@127.0.0.1:{AmqpPort}";

    public override IReadOnlyDictionary<string, string> Consoles => new Dictionary<string, string>
    {
        ["Mail UI"] = $"http://localhost:{MailWebPort}",
        ["RabbitMQ UI"] = $"http://localhost:{ManagementPort}   (guest / guest)",
    };

    public string ConnectionStringFor(string service, string connection) => _connections[connection].ConnectionString(service);

    public override void Connect<T>(IResourceBuilder<T> project, string service, string connection)
    {
        var (server, connectionString) = _connections[connection];
        project.WithEnvironment($"ConnectionStrings__{connection}", connectionString(service)).WaitFor(server);
    }
}

/// <summary>The servers as containers (Aspire's PostgreSQL, Redis and RabbitMQ integrations and a MailDev container).</summary>
public sealed class ContainerPlatformServers : PlatformServers
{
    private readonly Dictionary<string, (IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource> Server)> _connections = [];
    private readonly IResourceBuilder<RabbitMQServerResource> _eventBus;
    private readonly IResourceBuilder<ContainerResource> _mailDev;

    public ContainerPlatformServers(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres("postgres").WithDataVolume();
        var redis = builder.AddRedis("redis");
        _eventBus = builder.AddRabbitMQ("eventbus").WithManagementPlugin();
        // MailDev SMTP sink (web UI on the "http" endpoint). Tag pinned: the health path differs between 2.x and 3.x.
        _mailDev = builder.AddContainer("maildev", "maildev/maildev", "2.2.1")
            .WithEndpoint(targetPort: 1025, name: "smtp", scheme: "smtp")
            .WithHttpEndpoint(targetPort: 1080, name: "http")
            .WithHttpHealthCheck("/healthz", endpointName: "http");
        var smtp = builder.AddConnectionString("smtp", ReferenceExpression.Create(
            $"smtp://{_mailDev.GetEndpoint("smtp").Property(EndpointProperty.HostAndPort)}"));

        foreach (var database in Databases)
        {
            _connections[database] = (postgres.AddDatabase(database), postgres);
        }
        _connections["redis"] = (redis, redis);
        _connections["eventbus"] = (_eventBus, _eventBus);
        _connections["smtp"] = (smtp, _mailDev);
    }

    public override IReadOnlyDictionary<string, string> Consoles => new Dictionary<string, string>
    {
        ["Mail UI"] = "the maildev resource's http endpoint (dashboard)",
        ["RabbitMQ UI"] = "the eventbus resource's management endpoint (dashboard)",
    };

    public override void Connect<T>(IResourceBuilder<T> project, string service, string connection)
    {
        var (resource, server) = _connections[connection];
        // Known gap: in containers mode every service uses the broker's default user (Development only).
        project.WithReference(resource, connectionName: connection).WaitFor(server);
    }
}
