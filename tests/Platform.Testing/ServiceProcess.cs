using AuthPlatform.AppHost;

namespace AuthPlatform.Testing;

/// <summary>A service process as tests see it, whether the AppHost started it or a test did.</summary>
public interface IServiceProcess
{
    string Name { get; }

    int Pid { get; }

    bool HasExited { get; }

    string LogPath { get; }

    string LogTail(int lines = 30);

    Task StopAsync(TimeSpan grace, int signal = ChildProcess.SigTerm);

    Task WaitForExitAsync(CancellationToken cancellationToken = default);
}

public static class ServiceLog
{
    public static string Tail(string path, int lines)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var all = new StreamReader(stream).ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }
}

/// <summary>
/// A resource of the AppHost (a service replica or a server): its current process, its log (copied by the AppHost to
/// the test-log folder), and stop/start through the AppHost's resource commands, as an operator would in the dashboard.
/// </summary>
public sealed class ResourceProcess(string resourceName, PlatformLayout layout, ResourceWatch watch, ResourceCommandService commands) : IServiceProcess
{
    public string Name => resourceName;

    /// <summary>The process running now (a restart gives a new one).</summary>
    public int Pid => watch.Pid(resourceName) ?? 0;

    public bool HasExited => Pid == 0 || !Directory.Exists($"/proc/{Pid}");

    public string LogPath => ResourceLogFiles.PathFor(layout.LogDirectory, resourceName);

    public string LogTail(int lines = 30) => ServiceLog.Tail(LogPath, lines);

    /// <summary>Stops the resource (the orchestrator signals it, then kills it) and waits until its process is gone.</summary>
    public async Task StopAsync(TimeSpan grace, int signal = ChildProcess.SigTerm)
    {
        var pid = Pid;
        var result = await commands.ExecuteCommandAsync(resourceName, KnownResourceCommands.StopCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Stopping {resourceName} failed: {result.Message}");
        }
        await PlatformFixture.EventuallyAsync($"{resourceName} (pid {pid}) has stopped",
            () => Task.FromResult(pid == 0 || !Directory.Exists($"/proc/{pid}")), grace + TimeSpan.FromSeconds(30));
        await watch.WaitStoppedAsync(resourceName);
    }

    /// <summary>Starts the resource again and waits until it is healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // A start waits for the resources this one depends on: fail rather than hang if one of them is down for good.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        cancellationToken = timeout.Token;
        var result = await commands.ExecuteCommandAsync(resourceName, KnownResourceCommands.StartCommand, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Starting {resourceName} failed: {result.Message}");
        }
        await watch.WaitHealthyAsync(resourceName, cancellationToken, restarting: true);
    }

    public async Task WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        while (!HasExited)
        {
            await Task.Delay(200, cancellationToken);
        }
    }
}
