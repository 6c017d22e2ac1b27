using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthPlatform.AppHost;

/// <summary>
/// Copies every resource's console output to &lt;log folder&gt;/&lt;resource&gt;.log as it arrives, so a run's logs can be
/// read (and tailed by tests) without the dashboard. Started on BeforeStartEvent rather than as a hosted service:
/// the orchestrator's own start only returns once every resource was launched, which may be never.
/// </summary>
public sealed class ResourceLogFiles(string directory, ResourceNotificationService notifications, ResourceLoggerService logs)
{
    private readonly ConcurrentDictionary<string, Task> _watchers = new();

    public static void CopyTo(IDistributedApplicationBuilder builder, string directory)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, cancellationToken) =>
        {
            var services = startEvent.Services;
            var copier = new ResourceLogFiles(directory, services.GetRequiredService<ResourceNotificationService>(),
                services.GetRequiredService<ResourceLoggerService>());
            _ = copier.ExecuteAsync(services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            return Task.CompletedTask;
        });
    }

    public static string PathFor(string directory, string resourceName) => Path.Combine(directory, resourceName + ".log");

    private async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(directory);
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(stoppingToken))
            {
                _ = _watchers.GetOrAdd(resourceEvent.ResourceId, id => CopyAsync(id, resourceEvent.Resource.Name, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_watchers.Values);
    }

    private async Task CopyAsync(string resourceId, string resourceName, CancellationToken stoppingToken)
    {
        try
        {
            await using var file = new StreamWriter(new FileStream(PathFor(directory, resourceName), FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
                AutoFlush = true,
            };
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(stoppingToken))
            {
                foreach (var line in batch)
                {
                    await file.WriteLineAsync(line.Content);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
