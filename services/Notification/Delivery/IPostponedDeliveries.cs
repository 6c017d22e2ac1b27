using MassTransit;

namespace AuthPlatform.Notification.Delivery;

/// <summary>
/// Takes a message out of its queue for a while and puts it back, unchanged apart from the headers that
/// <paramref name="stamp"/> sets: same message id, so the delivery ledger still sends it once.
/// </summary>
public interface IPostponedDeliveries
{
    /// <exception cref="Exception">The message could not be put aside; it is still the caller's.</exception>
    Task PostponeAsync<T>(ConsumeContext<T> context, TimeSpan delay, Action<SendContext> stamp) where T : class;
}
