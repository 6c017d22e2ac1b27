using AuthPlatform.Servers;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.ServiceDefaults.Tests;

public sealed class EventBusTests
{
    [Fact]
    public void The_bus_never_reports_usage_telemetry_to_MassTransits_vendor()
    {
        using var host = ServiceOnTheBus();

        host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled
            .ShouldBeFalse("every service would otherwise post its bus configuration to usage-tracking.masstransit.io");
    }

    [Fact]
    public async Task A_publish_that_never_completes_nor_honours_its_token_fails_at_the_confirm_deadline()
    {
        var time = new FakeTimeProvider();
        var neverConfirmed = new TaskCompletionSource();
        var publish = EventBus.WithinConfirmDeadline(_ => neverConfirmed.Task, CancellationToken.None, time);

        time.Advance(EventBus.ConfirmDeadline - TimeSpan.FromMilliseconds(1));
        publish.IsCompleted.ShouldBeFalse("still within the deadline");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var failure = await Should.ThrowAsync<TimeoutException>(publish);
        failure.Message.ShouldContain("did not take the message");
    }

    [Fact]
    public async Task A_publish_the_caller_cancels_is_a_cancellation_not_a_timeout()
    {
        using var caller = new CancellationTokenSource();
        var publish = EventBus.WithinConfirmDeadline(token => Task.Delay(Timeout.Infinite, token), caller.Token, new FakeTimeProvider());

        await caller.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(publish);
    }

    [Fact]
    public async Task A_publish_the_broker_confirms_in_time_completes()
    {
        var time = new FakeTimeProvider();
        var confirmed = new TaskCompletionSource();
        var publish = EventBus.WithinConfirmDeadline(_ => confirmed.Task, CancellationToken.None, time);

        time.Advance(EventBus.ConfirmDeadline / 2);
        confirmed.SetResult();
        await publish;
        publish.IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public void Every_service_on_the_bus_reports_stuck_consumers_on_its_liveness_endpoint()
    {
        using var host = ServiceOnTheBus();

        var registration = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations
            .Single(check => check.Name == EventBus.StuckConsumersCheckName);
        registration.Tags.ShouldContain(Extensions.LiveTag, "/alive, so an orchestrator restarts it");
        registration.Factory(host.Services).ShouldBeSameAs(host.Services.GetRequiredService<StuckConsumerCheck>(), "the check is the filter that watches the consumers");
    }

    [Fact]
    public async Task A_message_held_in_its_consumer_past_the_limit_makes_the_process_unhealthy_until_it_ends()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T10:00:00Z"));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<HeldConsumer.Gate>();
        services.AddMassTransitTestHarness(bus =>
        {
            bus.WatchForStuckConsumers();
            bus.AddConsumer<HeldConsumer>();
        });
        await using var provider = services.BuildServiceProvider(true);
        var harness = provider.GetTestHarness();
        await harness.Start();
        var check = provider.GetRequiredService<StuckConsumerCheck>();
        var gate = provider.GetRequiredService<HeldConsumer.Gate>();

        await harness.Bus.Publish(new HeldMessage());
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(StuckConsumerCheck.Limit);
        (await check.CheckHealthAsync(new HealthCheckContext())).Status.ShouldBe(HealthStatus.Healthy, "at the limit it may still be honest work");

        time.Advance(TimeSpan.FromSeconds(1));
        var stuck = await check.CheckHealthAsync(new HealthCheckContext());
        stuck.Status.ShouldBe(HealthStatus.Unhealthy);
        stuck.Description!.ShouldContain(nameof(HeldMessage));

        gate.Release.SetResult();
        (await harness.Consumed.Any<HeldMessage>()).ShouldBeTrue();
        await PlatformFixture.EventuallyAsync("the check follows the consume that ended",
            async () => (await check.CheckHealthAsync(new HealthCheckContext())).Status == HealthStatus.Healthy);
    }

    /// <summary>A service's host as AddEventBus leaves it, in Production, not started.</summary>
    private static IHost ServiceOnTheBus()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration["ConnectionStrings:eventbus"] = "amqp://account:secret@127.0.0.1:5672";
        builder.AddEventBus("eventbus");
        return builder.Build();
    }
}

public sealed record HeldMessage;

/// <summary>A consumer that waits until the test lets it go: a publish that never ends, as far as the bus can tell.</summary>
public sealed class HeldConsumer(HeldConsumer.Gate gate) : IConsumer<HeldMessage>
{
    public sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task Consume(ConsumeContext<HeldMessage> context)
    {
        gate.Entered.TrySetResult();
        await gate.Release.Task;
    }
}
