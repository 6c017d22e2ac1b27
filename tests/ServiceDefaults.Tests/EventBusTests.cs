using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.ServiceDefaults.Tests;

public sealed class EventBusTests
{
    [Fact]
    public void The_bus_never_reports_usage_telemetry_to_MassTransits_vendor()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration["ConnectionStrings:eventbus"] = "amqp://account:secret@127.0.0.1:5672";
        builder.AddEventBus("eventbus");
        using var host = builder.Build();

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
}
