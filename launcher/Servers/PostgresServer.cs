using Npgsql;

namespace AuthPlatform.Launcher.Servers;

/// <summary>
/// PostgreSQL on loopback. PostgreSQL refuses to run as root, so it runs as the "postgres" user
/// (setpriv execs in place, so the process we hold is the postmaster itself and signals reach it).
/// </summary>
public sealed class PostgresServer(string dataDirectory, string logDirectory, int port, bool durable) : IAsyncDisposable
{
    public const string User = "postgres";
    public const string Password = "authplatform-dev";

    private ChildProcess? _process;

    public int Port => port;

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={port};Username={User};Password={Password};Database={database}";

    public async Task StartAsync()
    {
        var binDirectory = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).LastOrDefault()
            : null;
        var postgres = ServerBinary.Require("PostgreSQL", "apt-get install postgresql",
            binDirectory is null ? "/usr/lib/postgresql/15/bin/postgres" : Path.Combine(binDirectory, "bin", "postgres"));
        var binaries = Path.GetDirectoryName(postgres)!;

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(binaries);
        }

        string[] arguments =
        [
            "-D", dataDirectory, "-p", port.ToString(), "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={dataDirectory}", "-c", "max_connections=300",
            // Throwaway test clusters trade durability for speed; ./run.sh keeps its data safe.
            "-c", $"fsync={(durable ? "on" : "off")}", "-c", $"synchronous_commit={(durable ? "on" : "off")}",
        ];
        _process = ChildProcess.Start("postgres", "/usr/bin/setpriv", AsPostgres(postgres, arguments),
            new Dictionary<string, string?>(), Path.Combine(logDirectory, "postgres.log"));
        await Ports.WaitUntilAsync("PostgreSQL", CanQueryAsync, TimeSpan.FromSeconds(60), _process);
    }

    private async Task InitializeAsync(string binaries)
    {
        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(Path.GetDirectoryName(dataDirectory.TrimEnd('/'))!, ".pgpass-init");
        await File.WriteAllTextAsync(passwordFile, Password);
        await RunAsync("chown", ["-R", $"{User}:{User}", dataDirectory, passwordFile]);
        await RunAsync("chmod", ["700", dataDirectory]);
        await RunAsync("/usr/bin/setpriv", AsPostgres(Path.Combine(binaries, "initdb"),
            ["-D", dataDirectory, "-U", User, $"--pwfile={passwordFile}", "--auth-local=trust", "--auth-host=scram-sha-256",
             "-E", "UTF8", "--locale=C.UTF-8", .. (durable ? Array.Empty<string>() : ["--no-sync"])]));
        File.Delete(passwordFile);
    }

    private static string[] AsPostgres(string program, string[] arguments) =>
        ["--reuid", User, "--regid", User, "--init-groups", "--", program, .. arguments];

    private static async Task RunAsync(string program, string[] arguments)
    {
        var log = Path.GetTempFileName();
        await using var process = ChildProcess.Start(Path.GetFileName(program), program, arguments, new Dictionary<string, string?>(), log);
        await process.WaitForExitAsync();
        var output = await File.ReadAllTextAsync(log);
        File.Delete(log);
        if (!process.HasExited || output.Contains("FATAL", StringComparison.Ordinal) || output.Contains("Permission denied", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed:\n{output}");
        }
    }

    public async Task CreateDatabasesAsync(params string[] databases)
    {
        // Unpooled: the server may have restarted since the last admin call (tests stop it on purpose).
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        foreach (var database in databases)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await create.ExecuteNonQueryAsync();
            }
        }
    }

    private async Task<bool> CanQueryAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Timeout=2;Pooling=false");
            await connection.OpenAsync();
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            return false;
        }
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
            await _process.StopAsync(TimeSpan.FromSeconds(20), ChildProcess.SigInt);
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
