using MassTransit;
using MassTransit.Configuration;

namespace AuthPlatform.Notification.Delivery;

/// <summary>
/// Puts <see cref="DeliveryPostponement{T}"/> on each message type's pipe of a receive endpoint, once per type.
/// Connected before <c>UseMessageRetry</c>, whose filters go on the same pipes, so it wraps the retries.
/// (<c>UseConsumeFilter</c> would not do: it adds per consumer, inside the retries.)
/// </summary>
public sealed class DeliveryPostponementObserver : ConfigurationObserver, IMessageConfigurationObserver
{
    private readonly IServiceProvider _services;

    private DeliveryPostponementObserver(IConsumePipeConfigurator endpoint, IServiceProvider services)
        : base(endpoint)
    {
        _services = services;
        Connect(this);
    }

    /// <summary>Watches <paramref name="endpoint"/>'s configuration; the filters' services come from <paramref name="services"/>.</summary>
    public static void Attach(IConsumePipeConfigurator endpoint, IServiceProvider services) =>
        _ = new DeliveryPostponementObserver(endpoint, services);

    public void MessageConfigured<TMessage>(IConsumePipeConfigurator configurator) where TMessage : class
    {
        var filter = ActivatorUtilities.CreateInstance<DeliveryPostponement<TMessage>>(_services);
        configurator.AddPipeSpecification(new FilterPipeSpecification<ConsumeContext<TMessage>>(filter));
    }
}
