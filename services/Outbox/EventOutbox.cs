using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Outbox;

/// <summary>Stages integration events in the caller's DbContext; they are committed with its SaveChanges.</summary>
public interface IEventOutbox
{
    void Stage<TEvent>(TEvent @event) where TEvent : class;
}

internal sealed class EventOutbox<TContext>(TContext db, TimeProvider time, OutboxSignal signal) : IEventOutbox where TContext : DbContext
{
    private bool _wakesPublisher;

    public void Stage<TEvent>(TEvent @event) where TEvent : class
    {
        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            MessageId = NewId.NextGuid(),
            MessageType = @event.GetType().AssemblyQualifiedName!,
            Body = JsonSerializer.Serialize(@event),
            CreatedAt = time.GetUtcNow(),
        });
        if (!_wakesPublisher)
        {
            // Once per context, however many events it stages.
            db.SavedChanges += (_, _) => signal.Wake();
            _wakesPublisher = true;
        }
    }
}

/// <summary>Wakes the publisher right after a commit instead of waiting for its next poll.</summary>
internal sealed class OutboxSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Publishes committed outbox rows to the bus in order, marking each as published. Rows are claimed with
/// FOR UPDATE SKIP LOCKED, so replicas share the work without publishing a row twice at the same time; a
/// crash between publish and mark republishes it, which consumers absorb by message id.
/// </summary>
internal sealed partial class OutboxPublisher<TContext>(
    IServiceScopeFactory scopes, OutboxSignal signal, TimeProvider time, ILogger<OutboxPublisher<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await PublishBatchAsync(stoppingToken);
                backoff = TimeSpan.Zero;
                if (published == BatchSize)
                {
                    continue;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                backoff = TimeSpan.FromMilliseconds(Math.Clamp(backoff.TotalMilliseconds * 2, 500, 30_000));
                LogPublishFailed(ex, backoff);
                await Task.Delay(backoff, stoppingToken);
                continue;
            }
            try
            {
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IBus>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var batch = await db.Set<OutboxMessage>()
                .FromSqlRaw($"SELECT * FROM outbox_messages WHERE \"PublishedAt\" IS NULL ORDER BY \"Id\" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken);
            foreach (var message in batch)
            {
                var type = Type.GetType(message.MessageType, throwOnError: true)!;
                var body = JsonSerializer.Deserialize(message.Body, type)!;
                // A broker that is down must not hold the row lock forever.
                await EventBus.WithinConfirmDeadline(
                    token => bus.Publish(body, type, context => context.MessageId = message.MessageId, token), cancellationToken);
                message.PublishedAt = time.GetUtcNow();
                message.Attempts++;
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return batch.Count;
        });
    }

    [LoggerMessage(LogLevel.Warning, "Publishing the outbox failed; retrying in {Backoff}")]
    private partial void LogPublishFailed(Exception exception, TimeSpan backoff);
}

/// <summary>Deletes published rows once they are older than <see cref="OutboxOptions.KeepPublishedFor"/>, so the table stays small.</summary>
internal sealed partial class OutboxPurge<TContext>(
    IServiceScopeFactory scopes, IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxPurge<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = await PurgeAsync(stoppingToken);
                if (purged > 0)
                {
                    LogPurged(purged, typeof(TContext).Name);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Not urgent: the next round tries again (the schema may not be migrated yet).
                LogPurgeFailed(ex, typeof(TContext).Name);
            }
            try
            {
                await Task.Delay(options.Value.PurgeEvery, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var cutoff = time.GetUtcNow() - options.Value.KeepPublishedFor;
        return await db.Set<OutboxMessage>().Where(m => m.PublishedAt != null && m.PublishedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Purged {Count} published outbox rows of {Context}")]
    private partial void LogPurged(int count, string context);

    [LoggerMessage(LogLevel.Warning, "Purging the outbox of {Context} failed; trying again at the next round")]
    private partial void LogPurgeFailed(Exception exception, string context);
}

public static class OutboxExtensions
{
    /// <summary>The transactional outbox (docs/operations.md, Events and delivery) for <typeparamref name="TContext"/>.</summary>
    public static IHostApplicationBuilder AddEventOutbox<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddScoped<IEventOutbox, EventOutbox<TContext>>();
        builder.Services.AddHostedService<OutboxPublisher<TContext>>();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName)
            .Validate(o => o.IsValid(), "Outbox needs KeepPublishedFor >= 1 minute and PurgeEvery >= 1 second.")
            .ValidateOnStart();
        builder.Services.AddHostedService<OutboxPurge<TContext>>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
