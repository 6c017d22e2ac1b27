using System.Diagnostics;
using System.Runtime.InteropServices;
using AuthPlatform.Launcher;

// The local launcher behind ./run.sh: the AppHost's topology as plain processes on loopback.
var stopwatch = Stopwatch.StartNew();
var repositoryRoot = ArtifactPaths.RepositoryRoot();
var dataDirectory = Path.GetFullPath(ArgumentValue("--data") ?? Path.Combine(repositoryRoot, ".data"));
var portBase = int.Parse(ArgumentValue("--port-base") ?? "54300");
var gatewayPort = int.Parse(Environment.GetEnvironmentVariable("GATEWAY_PORT") ?? "8080");
var mfaReplicas = int.Parse(ArgumentValue("--mfa-replicas") ?? "2");

if (args.Contains("--reset") && Directory.Exists(dataDirectory))
{
    Console.WriteLine($"Wiping {dataDirectory}");
    Directory.Delete(dataDirectory, recursive: true);
}
var logDirectory = Path.Combine(dataDirectory, "logs");
Directory.CreateDirectory(logDirectory);

using var shutdown = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);

var servers = new LocalServers(repositoryRoot, dataDirectory, ServerPorts.FromBase(portBase), durable: true);
var nextServicePort = portBase + 10;
// Keys kept in the databases are encrypted under this certificate, which stays outside them.
var keyEncryption = LocalKeyEncryption.Ensure(Path.Combine(dataDirectory, "keys"));
var fleet = new ServiceFleet(
    new FleetOptions(repositoryRoot, logDirectory, gatewayPort, () => nextServicePort++, mfaReplicas, KeyEncryption: keyEncryption),
    servers.ConnectionStrings,
    servers.RabbitMq.ConnectionStringFor);
var exitCode = 0;
try
{
    Console.WriteLine("Starting PostgreSQL, Redis, RabbitMQ and MailDev…");
    await servers.StartAsync().WaitAsync(shutdown.Token);
    Console.WriteLine($"Servers up after {stopwatch.Elapsed.TotalSeconds:0.0} s. Starting the services…");
    await fleet.StartAsync().WaitAsync(shutdown.Token);

    Console.WriteLine($"""

        AuthPlatform is running (ready after {stopwatch.Elapsed.TotalSeconds:0.0} s).
          Gateway:   {fleet.PublicBaseUrl}   (try: curl {fleet.PublicBaseUrl}/health)
          Mail UI:   {servers.Smtp.WebUrl}
          RabbitMQ:  {servers.RabbitMq.ManagementUrl}   (guest / guest)
          Services:  {string.Join(", ", fleet.Instances.Where(i => i.Name != "gateway").Select(i => $"{i.Process.Name} {i.BaseAddress}"))}
          Data:      {dataDirectory}
          Logs:      {logDirectory}
        Press Ctrl-C to stop everything.
        """);

    // Stay in the foreground until a signal, or until a service dies on its own.
    while (!shutdown.IsCancellationRequested)
    {
        if (fleet.Instances.FirstOrDefault(i => i.Process.HasExited) is { } dead)
        {
            Console.Error.WriteLine($"{dead.Process.Name} exited unexpectedly; see {dead.Process.LogPath}:\n{dead.Process.LogTail(15)}");
            exitCode = 1;
            break;
        }
        await Task.Delay(500, shutdown.Token).ContinueWith(_ => { });
    }
}
catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
{
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException)
{
    Console.Error.WriteLine($"run: {ex.Message}");
    exitCode = 1;
}
finally
{
    Console.WriteLine("Stopping…");
    await fleet.DisposeAsync();
    await servers.DisposeAsync();
    Console.WriteLine("Stopped; nothing left running.");
}
return exitCode;

void Stop(PosixSignalContext context)
{
    context.Cancel = true; // we stop the children ourselves, then exit
    shutdown.Cancel();
}

string? ArgumentValue(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
