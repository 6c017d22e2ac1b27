namespace AuthPlatform.Notification.Delivery;

/// <summary>
/// Another delivery of the same message is sending it right now. Retried like any transient failure: by then the
/// ledger says whether it went out (and this copy is skipped as a duplicate) or the claim is free again.
/// </summary>
public sealed class DeliveryInProgressException(string channel, Guid messageId)
    : Exception($"Message {messageId} is being sent on the {channel} channel by another delivery.");
