using AuthPlatform.Account.Devices;
using MassTransit;

namespace AuthPlatform.Account.Consumers;

/// <summary>
/// The second factor was turned on, reconfigured or turned off: every device remembered with the old state is
/// forgotten. Only those remembered before the change, so a device remembered with the new factor stays even when
/// this event is handled late. (The class name is the queue name: unique across services.)
/// </summary>
public sealed class ForgetRememberedDevicesConsumer(RememberedDevices devices) : IConsumer<MfaEnabled>, IConsumer<MfaDisabled>
{
    public Task Consume(ConsumeContext<MfaEnabled> context) =>
        devices.ForgetAllAsync(context.Message.AccountId, context.CancellationToken, asOf: context.Message.OccurredAt);

    public Task Consume(ConsumeContext<MfaDisabled> context) =>
        devices.ForgetAllAsync(context.Message.AccountId, context.CancellationToken, asOf: context.Message.OccurredAt);
}
