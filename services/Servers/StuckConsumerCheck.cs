using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthPlatform.Servers;

/// <summary>
/// Liveness of the bus's consumers: a message that has been in its consumer for longer than <see cref="Limit"/> is
/// stuck, and a stuck consume keeps its receive endpoint from taking anything more (after a broker restart it even keeps
/// the endpoint from reconnecting) while every readiness check stays green. The check then answers Unhealthy on
/// <c>/alive</c>, so an orchestrator restarts the process and the broker hands the message to another consumer.
/// It is the outermost filter on every receive endpoint: a consume counts once, retries included.
/// </summary>
public sealed class StuckConsumerCheck(TimeProvider time) : IFilter<ConsumeContext>, IHealthCheck
{
    /// <summary>
    /// Longer than any consume may honestly take. The longest is notification's: seven attempts at a 60 s SMTP exchange
    /// with about two minutes of retry intervals between them, some nine minutes, after which it postpones the message.
    /// A stuck consume never ends, so a generous limit only delays the restart.
    /// </summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<object, (DateTimeOffset Started, string Message)> _inFlight = new();

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var entry = new object();
        _inFlight[entry] = (time.GetUtcNow(), MessageName(context));
        try
        {
            await next.Send(context);
        }
        finally
        {
            _inFlight.TryRemove(entry, out _);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("stuckConsumerCheck");

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var stuck = _inFlight.Values.Where(consume => now - consume.Started > Limit).ToList();
        if (stuck.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        var oldest = stuck.MinBy(consume => consume.Started);
        return Task.FromResult(HealthCheckResult.Unhealthy(
            $"{stuck.Count} message(s) in a consumer for more than {Limit.TotalMinutes:0} min, the oldest a {oldest.Message} for "
            + $"{(now - oldest.Started).TotalMinutes:0} min: its receive endpoint takes nothing more until it ends."));
    }

    // The message type's name from its URN (urn:message:Namespace:Type), without reading the body.
    private static string MessageName(ConsumeContext context) =>
        context.SupportedMessageTypes.FirstOrDefault() is { } urn ? urn[(urn.LastIndexOf(':') + 1)..] : "message";
}
