using AuthPlatform.AppHost;
using AuthPlatform.AppHost.LocalServers;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace AuthPlatform.Testing;

/// <summary>One of the AppHost's server resources: stop and start it as an operator would (its resource commands).</summary>
public class ServerResource(ResourceProcess resource)
{
    /// <summary>Stops the server and waits until its process is gone.</summary>
    public virtual Task StopAsync() => resource.StopAsync(TimeSpan.FromSeconds(20));

    /// <summary>Starts it again and waits until its health check passes.</summary>
    public Task StartAsync() => resource.StartAsync();

    public IServiceProcess Process => resource;
}

public sealed class PostgresResource(ResourceProcess resource, int port) : ServerResource(resource)
{
    public int Port => port;

    /// <summary>
    /// Stops it, and forgets the test process's own pooled connections, which died with it: the next test to read a
    /// database would otherwise be handed one and fail (57P01, "terminating connection due to administrator command").
    /// </summary>
    public override async Task StopAsync()
    {
        await base.StopAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    public string ConnectionStringFor(string database) => LocalPostgres.ConnectionString(port, database);

    public async Task CreateDatabasesAsync(params string[] databases)
    {
        if (!await LocalPostgres.CreateDatabasesAsync(port, databases))
        {
            throw new InvalidOperationException($"PostgreSQL on port {port} did not answer.");
        }
    }
}

public sealed class RedisResource(ResourceProcess resource, int port) : ServerResource(resource)
{
    public int Port => port;

    public string ConnectionString => LocalRedis.ConnectionString(port);
}

public sealed class RabbitMqResource(ResourceProcess resource, LocalPlatformServers servers) : ServerResource(resource)
{
    public int Port => servers.AmqpPort;

    /// <summary>The loopback-only administrator (tests that inspect queues); no service uses it.</summary>
    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{servers.AmqpPort}";

    /// <summary>The service's own user; null for a service that does not use the bus.</summary>
    public string? ConnectionStringFor(string service) =>
        servers.BrokerUsers.Names.Contains(service) ? servers.EventBusFor(service) : null;

    public string ManagementUrl => $"http://localhost:{servers.ManagementPort}";

    /// <summary>What RabbitMQ says of a queue (messages ready, consumers attached) without creating it; null when it does not exist.</summary>
    public async Task<QueueDeclareOk?> QueueAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(ConnectionString) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue);
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
    }
}

public sealed class SmtpResource(ResourceProcess resource, LocalPlatformServers servers) : ServerResource(resource)
{
    public string ConnectionString => servers.SmtpConnectionString;

    public string WebUrl => $"http://localhost:{servers.MailWebPort}";

    public int SmtpPort => servers.SmtpPort;
}

/// <summary>The servers of the platform under test (the AppHost's local executable resources).</summary>
public sealed class PlatformServerSet
{
    public PlatformServerSet(PlatformLayout layout, ResourceWatch watch, ResourceCommandService commands)
    {
        var servers = layout.Servers as LocalPlatformServers
            ?? throw new InvalidOperationException("Tests run the AppHost with local servers (Platform:Servers=local).");
        ResourceProcess Resource(string name) => new(name, layout, watch, commands);
        Postgres = new PostgresResource(Resource("postgres"), servers.PostgresPort);
        Redis = new RedisResource(Resource("redis"), servers.RedisPort);
        RabbitMq = new RabbitMqResource(Resource("eventbus"), servers);
        Smtp = new SmtpResource(Resource("maildev"), servers);
    }

    public PostgresResource Postgres { get; }

    public RedisResource Redis { get; }

    public RabbitMqResource RabbitMq { get; }

    public SmtpResource Smtp { get; }

    /// <summary>The connection strings of the databases, Redis, the broker (administrator) and the SMTP sink.</summary>
    public IReadOnlyDictionary<string, string> ConnectionStrings =>
        new Dictionary<string, string>(PlatformServers.Databases.Select(database =>
            KeyValuePair.Create(database, Postgres.ConnectionStringFor(database))))
        {
            ["redis"] = Redis.ConnectionString,
            ["eventbus"] = RabbitMq.ConnectionString,
            ["smtp"] = Smtp.ConnectionString,
        };
}
