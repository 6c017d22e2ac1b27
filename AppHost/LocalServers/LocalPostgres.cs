using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace AuthPlatform.AppHost.LocalServers;

/// <summary>
/// PostgreSQL on loopback as an executable resource. PostgreSQL refuses to run as root, so it runs as the
/// "postgres" user (setpriv execs in place). The cluster is made on first start under the data folder; the health
/// check creates the databases, so a resource that waits for it finds them.
/// </summary>
public static class LocalPostgres
{
    public const string User = "postgres";
    public const string Password = "authplatform-dev";

    public static string ConnectionString(int port, string database) =>
        $"Host=127.0.0.1;Port={port};Username={User};Password={Password};Database={database}";

    public static IResourceBuilder<ExecutableResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name,
        string dataDirectory, int port, bool durable, IReadOnlyList<string> databases)
    {
        var binDirectory = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).LastOrDefault()
            : null;
        var postgres = ServerBinary.Require("PostgreSQL", "apt-get install postgresql",
            binDirectory is null ? "/usr/lib/postgresql/15/bin/postgres" : Path.Combine(binDirectory, "bin", "postgres"));
        var binaries = Path.GetDirectoryName(postgres)!;
        string[] server =
        [
            "/usr/bin/setpriv", "--reuid", User, "--regid", User, "--init-groups", "--", postgres,
            "-D", dataDirectory, "-p", port.ToString(), "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={dataDirectory}", "-c", "max_connections=300",
            // Throwaway test clusters trade durability for speed; ./run.sh keeps its data safe.
            "-c", $"fsync={(durable ? "on" : "off")}", "-c", $"synchronous_commit={(durable ? "on" : "off")}",
        ];

        var healthCheck = name + "-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
            await CreateDatabasesAsync(port, databases, cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());

        var resource = builder.AddExecutable(name, "/bin/sh", Path.GetDirectoryName(dataDirectory.TrimEnd('/'))!,
                ForegroundScript.Arguments([], server, stopSignal: "INT"))
            .WithHealthCheck(healthCheck)
            .WithIconName("Database");
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource.Resource, (_, _) =>
        {
            if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            {
                Initialize(binaries, dataDirectory, durable);
            }
            return Task.CompletedTask;
        });
        return resource;
    }

    private static void Initialize(string binaries, string dataDirectory, bool durable)
    {
        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(Path.GetDirectoryName(dataDirectory.TrimEnd('/'))!, ".pgpass-init");
        File.WriteAllText(passwordFile, Password);
        try
        {
            Run("chown", ["-R", $"{User}:{User}", dataDirectory, passwordFile]);
            Run("chmod", ["700", dataDirectory]);
            Run("/usr/bin/setpriv", ["--reuid", User, "--regid", User, "--init-groups", "--", Path.Combine(binaries, "initdb"),
                "-D", dataDirectory, "-U", User, $"--pwfile={passwordFile}", "--auth-local=trust", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--locale=C.UTF-8", .. (durable ? Array.Empty<string>() : ["--no-sync"])]);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static void Run(string program, string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output.Result}{errors}");
        }
    }

    /// <summary>True once the server answers; creates the databases that are missing.</summary>
    public static async Task<bool> CreateDatabasesAsync(int port, IEnumerable<string> databases, CancellationToken cancellationToken = default)
    {
        try
        {
            // Unpooled: the server may have restarted since the last check (tests stop it on purpose).
            await using var connection = new NpgsqlConnection(ConnectionString(port, "postgres") + ";Timeout=2;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            foreach (var database in databases)
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
                exists.Parameters.AddWithValue("name", database);
                if (await exists.ExecuteScalarAsync(cancellationToken) is null)
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            return false;
        }
    }
}
