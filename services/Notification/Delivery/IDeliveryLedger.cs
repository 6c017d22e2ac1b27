namespace AuthPlatform.Notification.Delivery;

/// <summary>
/// Remembers which bus messages have already been delivered on a channel, so a redelivered message is not sent
/// twice. Shared by every worker replica.
/// </summary>
public interface IDeliveryLedger
{
    /// <exception cref="Exception">The ledger is unreachable: the caller must not send (the bus retries later).</exception>
    Task<bool> WasDeliveredAsync(string channel, Guid messageId, CancellationToken cancellationToken);

    Task MarkDeliveredAsync(string channel, Guid messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the message for the one delivery sending it now: false when another delivery of the same message holds
    /// it (a message published twice, e.g. again after a broker restart, and both copies taken at once). The claim
    /// ends with <see cref="ReleaseClaimAsync"/> after a failed send, or by itself after a time longer than any send.
    /// </summary>
    /// <exception cref="Exception">The ledger is unreachable: the caller must not send (the bus retries later).</exception>
    Task<bool> TryClaimAsync(string channel, Guid messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the claim after a send that put nothing out, so a retry may send at once. Best effort: never throws; a
    /// claim the ledger cannot release expires by itself.
    /// </summary>
    Task ReleaseClaimAsync(string channel, Guid messageId, CancellationToken cancellationToken);

    /// <summary>
    /// True when no <paramref name="email"/> went to <paramref name="address"/> within <paramref name="cooldown"/>, and
    /// starts the cooldown; also true for a redelivery of the message that started it, so a retry still sends.
    /// </summary>
    Task<bool> TryStartCooldownAsync(string email, string address, Guid? messageId, TimeSpan cooldown, CancellationToken cancellationToken);
}
