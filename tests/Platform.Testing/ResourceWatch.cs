using System.Collections.Concurrent;

namespace AuthPlatform.Testing;

/// <summary>The latest state the AppHost reported for each resource (its process id above all).</summary>
public sealed class ResourceWatch(ResourceNotificationService notifications) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, CustomResourceSnapshot> _latest = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask;

    public void Start() => _watching = WatchAsync(_stop.Token);

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(cancellationToken))
            {
                _latest[resourceEvent.Resource.Name] = resourceEvent.Snapshot;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public int? Pid(string resourceName) =>
        _latest.TryGetValue(resourceName, out var snapshot)
        && snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
        && int.TryParse(value.ToString(), out var pid)
            ? pid
            : null;

    /// <summary>
    /// Waits until the AppHost itself reports the resource stopped. Its process can be gone before that: starting it
    /// again in between would race the stale "running" state, and resources waiting for it would see it finish later.
    /// </summary>
    public async Task WaitStoppedAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await notifications.WaitForResourceAsync(resourceName, KnownResourceStates.TerminalStates, timeout.Token);
    }

    /// <summary>
    /// Waits until the resource runs and its health check passes. <paramref name="restarting"/>: it was just started
    /// again, so its latest state may still be the stop's "Exited" for a moment; that is not a failed start.
    /// </summary>
    public async Task WaitHealthyAsync(string resourceName, CancellationToken cancellationToken = default, bool restarting = false)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await notifications.WaitForResourceHealthyAsync(resourceName,
            restarting ? WaitBehavior.WaitOnResourceUnavailable : WaitBehavior.StopOnResourceUnavailable, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
