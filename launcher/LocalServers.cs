using AuthPlatform.Launcher.Servers;

namespace AuthPlatform.Launcher;

/// <summary>Where the local servers listen. ./run.sh uses fixed ports from a base; tests take free ones.</summary>
public sealed record ServerPorts(int Postgres, int Redis, int Amqp, int RabbitManagement, int Smtp, int MailWeb)
{
    public static ServerPorts FromBase(int portBase) =>
        new(portBase + 1, portBase + 2, portBase + 3, portBase + 4, portBase + 5, portBase + 6);

    public static ServerPorts AnyFree() => new(Ports.Free(), Ports.Free(), Ports.Free(), 0, Ports.Free(), Ports.Free());
}

/// <summary>
/// The real servers the platform needs (PostgreSQL, Redis, RabbitMQ, an SMTP sink) as local processes:
/// what an Aspire AppHost would run as containers.
/// </summary>
public sealed class LocalServers : IAsyncDisposable
{
    public static readonly string[] Databases = ["accountdb", "mfadb"];

    public LocalServers(string repositoryRoot, string dataDirectory, ServerPorts ports, bool durable)
    {
        var logs = Path.Combine(dataDirectory, "logs");
        Postgres = new PostgresServer(Path.Combine(dataDirectory, "postgres"), logs, ports.Postgres, durable);
        Redis = new RedisServer(Path.Combine(dataDirectory, "redis"), logs, ports.Redis, durable);
        RabbitMq = new RabbitMqServer(Path.Combine(dataDirectory, "rabbitmq"), logs, ports.Amqp, ports.RabbitManagement);
        Smtp = new SmtpSink(repositoryRoot, Path.Combine(dataDirectory, "mail"), logs, ports.Smtp, ports.MailWeb);
    }

    public PostgresServer Postgres { get; }

    public RedisServer Redis { get; }

    public RabbitMqServer RabbitMq { get; }

    public SmtpSink Smtp { get; }

    /// <summary>The ConnectionStrings__* an AppHost injects for these servers.</summary>
    public IReadOnlyDictionary<string, string> ConnectionStrings => new Dictionary<string, string>
    {
        ["accountdb"] = Postgres.ConnectionStringFor("accountdb"),
        ["mfadb"] = Postgres.ConnectionStringFor("mfadb"),
        ["redis"] = Redis.ConnectionString,
        ["eventbus"] = RabbitMq.ConnectionString,
        ["smtp"] = Smtp.ConnectionString,
    };

    public async Task StartAsync()
    {
        // RabbitMQ is by far the slowest to boot; the others start meanwhile.
        await Task.WhenAll(RabbitMq.StartAsync(), Redis.StartAsync(), Smtp.StartAsync(), StartPostgresAsync());
    }

    private async Task StartPostgresAsync()
    {
        await Postgres.StartAsync();
        await Postgres.CreateDatabasesAsync(Databases);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(RabbitMq.StopAsync(), Redis.StopAsync(), Smtp.StopAsync(), Postgres.StopAsync());
    }
}
