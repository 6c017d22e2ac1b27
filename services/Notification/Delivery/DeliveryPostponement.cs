using System.Globalization;
using System.Runtime.ExceptionServices;
using AuthPlatform.Contracts;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using AuthPlatform.Notification.Sms;
using MassTransit;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Notification.Delivery;

/// <summary>
/// Around the in-worker retries of every notification consumer: when they are spent on a failure that may pass,
/// the message is postponed (<see cref="IPostponedDeliveries"/>) instead of going to <c>_error</c>, on the schedule
/// of <see cref="PostponementOptions"/>. Only a message still failing <see cref="PostponementOptions.GiveUpAfter"/>
/// after its first postponement goes to <c>_error</c>, with its exception, counted as <c>failed</c>.
/// </summary>
/// <remarks>
/// Permanent failures (undeliverable emails and texts) pass straight through to <c>_error</c>. A text whose code
/// will have expired before it comes back is dropped instead (outcome <c>expired</c>): it could only confuse,
/// and it costs money.
/// </remarks>
public sealed partial class DeliveryPostponement<T>(
    IPostponedDeliveries postponed,
    IOptions<PostponementOptions> options,
    NotificationMetrics metrics,
    TimeProvider time,
    ILogger<DeliveryPostponement<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    /// <summary>How many times the message has been postponed.</summary>
    public const string RoundHeader = "AuthPlatform-Postponed";

    /// <summary>When it was first postponed (Unix milliseconds): the start of <see cref="PostponementOptions.GiveUpAfter"/>.</summary>
    public const string FirstPostponedHeader = "AuthPlatform-First-Postponed";

    /// <summary>The <c>MT-Fault-Timestamp</c> of the last stay in <c>_error</c> that restarted the schedule.</summary>
    public const string FaultSeenHeader = "AuthPlatform-Fault-Seen";

    private static readonly string Channel = typeof(T) == typeof(SendSmsCode) ? DeliveryTags.Sms : DeliveryTags.Email;

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        try
        {
            await next.Send(context);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested
                                   && ex is not (UndeliverableEmailException or UndeliverableSmsException))
        {
            await PostponeOrGiveUpAsync(context, ex);
        }
    }

    private async Task PostponeOrGiveUpAsync(ConsumeContext<T> context, Exception failure)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        // A message an operator moved back from _error carries the fault timestamp of its stay there, one this
        // filter has not seen yet: it starts a fresh schedule rather than being given up on after the retries.
        // (Headers cannot be removed on the way: MassTransit's envelope keeps the originals.)
        var faultedAt = context.Headers.Get<string>(MessageHeaders.FaultTimestamp);
        var movedBack = faultedAt is not null && faultedAt != context.Headers.Get<string>(FaultSeenHeader);
        var round = movedBack ? 0 : (int)Math.Min(ReadInt(context, RoundHeader) ?? 0, int.MaxValue - 1);
        var firstPostponed = !movedBack && ReadInt(context, FirstPostponedHeader) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : now;
        var delay = settings.DelayBefore(round);

        if (settings.GiveUpAfter <= TimeSpan.Zero || now - firstPostponed >= settings.GiveUpAfter)
        {
            metrics.Delivered(Channel, DeliveryTags.Failed);
            LogGaveUp(logger, TypeName, context.MessageId, round, failure.GetType().Name, failure.Message);
            ExceptionDispatchInfo.Throw(failure);
        }

        if (context.Message is SendSmsCode { ExpiresAt: { } expiresAt } && expiresAt <= now + delay)
        {
            metrics.Delivered(Channel, DeliveryTags.Expired);
            LogExpired(logger, context.MessageId, failure.GetType().Name, failure.Message);
            return;
        }

        try
        {
            await postponed.PostponeAsync(context, delay, send =>
            {
                send.Headers.Set(RoundHeader, (round + 1).ToString(CultureInfo.InvariantCulture));
                send.Headers.Set(FirstPostponedHeader, firstPostponed.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
                if (faultedAt is not null)
                {
                    send.Headers.Set(FaultSeenHeader, faultedAt);
                }
            });
        }
        catch (Exception ex)
        {
            // Not postponed: the message stays ours and goes to _error rather than being lost.
            metrics.Delivered(Channel, DeliveryTags.Failed);
            LogCouldNotPostpone(logger, TypeName, context.MessageId, ex.GetType().Name, ex.Message);
            ExceptionDispatchInfo.Throw(failure);
        }
        metrics.Retried(Channel, DeliveryTags.Postponed);
        LogPostponed(logger, TypeName, context.MessageId, round + 1, delay, failure.GetType().Name, failure.Message);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("deliveryPostponement");

    private static string TypeName => typeof(T).Name;

    private static long? ReadInt(ConsumeContext context, string header) =>
        context.Headers.Get<string>(header) is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    [LoggerMessage(1, LogLevel.Warning,
        "Postponed {MessageType} message {MessageId} (postponement {Round}): it comes back in {Delay}. Retries were spent on {ExceptionType}: {Reason}")]
    private static partial void LogPostponed(ILogger logger, string messageType, Guid? messageId, long round, TimeSpan delay,
        string exceptionType, string reason);

    [LoggerMessage(2, LogLevel.Error,
        "Gave up on {MessageType} message {MessageId} after {Round} postponement(s); it goes to the error queue: {ExceptionType}: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string messageType, Guid? messageId, long round, string exceptionType, string reason);

    [LoggerMessage(3, LogLevel.Warning,
        "Dropped SMS message {MessageId}: its code expires before it could be tried again. Retries were spent on {ExceptionType}: {Reason}")]
    private static partial void LogExpired(ILogger logger, Guid? messageId, string exceptionType, string reason);

    [LoggerMessage(4, LogLevel.Error,
        "Could not postpone {MessageType} message {MessageId} ({ExceptionType}: {Reason}); it goes to the error queue")]
    private static partial void LogCouldNotPostpone(ILogger logger, string messageType, Guid? messageId, string exceptionType, string reason);
}
