using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using AuthPlatform.Notification.Extensions;
using AuthPlatform.Notification.Sms;
using AuthPlatform.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace AuthPlatform.Notification.Tests;

// The SMS consumer, retry and idempotency on MassTransit's in-memory bus, next to the email consumers as in the
// worker; the SMS provider and Redis replaced by fakes.
public sealed class SmsDeliveryTests : IAsyncLifetime
{
    private const int Retries = 2;
    private const string Number = "+447700900123";

    private readonly FakeSmsSender sender = new();
    private readonly FailingEmailSender emailSender = new();
    private readonly FakeDeliveryLedger ledger = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly ClockWaitingRoom waitingRoom;
    private readonly LogCollector logs = new();
    private readonly ServiceProvider provider;
    private readonly ITestHarness harness;
    private readonly CounterRecorder deliveries;

    public SmsDeliveryTests()
    {
        var configuration = TestHost.Configuration([new("PublicBaseUrl", "https://auth.example.com"), new("Sms__UseDevelopmentSender", "true")]);
        waitingRoom = new ClockWaitingRoom(clock);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<IPostponedDeliveries>(waitingRoom)
            .Configure<PostponementOptions>(TestSchedule.Apply)
            .AddSingleton(configuration)
            .AddLogging(logging => logging.AddProvider(logs))
            .AddMetrics()
            .AddEmailDelivery()
            .AddSmsDelivery(configuration)
            .AddSingleton<IEmailSender>(emailSender)
            .AddSingleton<ISmsSender>(sender)
            .AddSingleton<IDeliveryLedger>(ledger)
            .Configure<DeliveryRetryOptions>(retry =>
            {
                retry.Count = Retries;
                retry.MinInterval = TimeSpan.FromMilliseconds(10);
                retry.MaxInterval = TimeSpan.FromMilliseconds(50);
                retry.IntervalDelta = TimeSpan.FromMilliseconds(10);
            })
            .AddMassTransitTestHarness(bus => bus.AddEmailConsumers().AddSmsConsumers());
        provider = services.BuildServiceProvider(validateScopes: true);
        harness = provider.GetRequiredService<ITestHarness>();
        harness.TestInactivityTimeout = TimeSpan.FromMilliseconds(500);
        deliveries = new CounterRecorder(provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.deliveries");
    }

    public async ValueTask InitializeAsync() => await harness.Start();

    public async ValueTask DisposeAsync()
    {
        deliveries.Dispose();
        await provider.DisposeAsync();
    }

    // The text says the lifetime verification sent; a message from before it sent one promises no duration.
    [Theory]
    [InlineData(180, "123456 is your AuthPlatform code. It expires in 3 minutes.\n\n@auth.example.com #123456")]
    [InlineData(60, "123456 is your AuthPlatform code. It expires in 1 minute.\n\n@auth.example.com #123456")]
    [InlineData(90, "123456 is your AuthPlatform code. It expires in 90 seconds.\n\n@auth.example.com #123456")]
    [InlineData(null, "123456 is your AuthPlatform code.\n\n@auth.example.com #123456")]
    public async Task The_code_goes_out_as_the_composed_text_with_the_lifetime_it_came_with(int? lifetimeSeconds, string expected)
    {
        var lifetime = lifetimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", Lifetime: lifetime), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        var (to, body) = sender.Sent.ShouldHaveSingleItem();
        to.ShouldBe(Number);
        body.ShouldBe(expected);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
        deliveries.Total(DeliveryTags.Email).ShouldBe(0);
    }

    [Fact]
    public async Task A_redelivered_message_is_sent_once()
    {
        var messageId = NewId.NextGuid();
        var request = new SendSmsCode(Number, "123456", "phone-enroll");

        await harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await harness.InactivityTask;
        await harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        // The inactivity task has completed already: wait for the second delivery's outcome instead.
        await BusWait.UntilAsync(() => deliveries.Total(DeliveryTags.Sms) == 2);

        sender.Sent.Count.ShouldBe(1);
        ledger.Delivered.ShouldContainKey((DeliveryTags.Sms, messageId));
        ledger.Delivered.ShouldNotContainKey((DeliveryTags.Email, messageId), "each channel has its own ledger keys");
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Duplicate).ShouldBe(1);
        (await harness.Published.Any<Fault<SendSmsCode>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task Different_messages_to_the_same_number_are_each_sent()
    {
        await harness.Bus.Publish(new SendSmsCode(Number, "111111", "sign-in"), TestContext.Current.CancellationToken);
        await harness.Bus.Publish(new SendSmsCode(Number, "222222", "sign-in"), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        sender.Sent.Select(s => FakeTwilio.CodeIn(s.Body)).ShouldBe(["111111", "222222"], ignoreOrder: true);
        ledger.Delivered.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_by_the_bus_and_recorded_only_once_it_went_out()
    {
        sender.TransientFailuresBeforeSuccess = Retries;

        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        sender.Attempts.ShouldBe(Retries + 1);
        sender.Sent.Count.ShouldBe(1);
        ledger.Delivered.Count.ShouldBe(1);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(0, "retried attempts are not final failures");
        (await harness.Published.Any<Fault<SendSmsCode>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_message_without_an_expiry_that_keeps_failing_is_postponed_then_faults()
    {
        sender.TransientFailuresBeforeSuccess = int.MaxValue;

        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        sender.Attempts.ShouldBe((Retries + 1) * TestSchedule.Rounds);
        waitingRoom.Postponed.Select(p => p.Delay).ShouldBe(TestSchedule.Expected);
        ledger.Delivered.ShouldBeEmpty();
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(1);
        var fault = await harness.Published.SelectAsync<Fault<SendSmsCode>>(TestContext.Current.CancellationToken).FirstOrDefault();
        fault.ShouldNotBeNull();
        fault.Context.Message.Exceptions.Single().ExceptionType.ShouldBe(typeof(SmsSendFailedException).FullName);
    }

    [Fact]
    public async Task A_permanent_refusal_faults_at_once_without_retries()
    {
        sender.Permanent = true;

        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        sender.Attempts.ShouldBe(1);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(1);
        var fault = await harness.Published.SelectAsync<Fault<SendSmsCode>>(TestContext.Current.CancellationToken).FirstOrDefault();
        fault.ShouldNotBeNull();
        var exception = fault.Context.Message.Exceptions.Single();
        exception.ExceptionType.ShouldBe(typeof(SmsRejectedException).FullName);
        exception.Message.ShouldContain("21211");
        harness.Consumed.Select<SendSmsCode>(TestContext.Current.CancellationToken).Count().ShouldBe(1, "a refused text is not retried");
    }

    [Fact]
    public async Task A_malformed_code_faults_without_sending()
    {
        await harness.Bus.Publish(new SendSmsCode(Number, "12345", "sign-in"), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        sender.Attempts.ShouldBe(0);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(1);
        var fault = await harness.Published.SelectAsync<Fault<SendSmsCode>>(TestContext.Current.CancellationToken).FirstOrDefault();
        fault.ShouldNotBeNull();
        fault.Context.Message.Exceptions.Single().ExceptionType.ShouldBe(typeof(InvalidSmsValueException).FullName);
    }

    [Fact]
    public async Task Nothing_is_sent_while_the_ledger_cannot_be_read()
    {
        ledger.Unreachable = true;

        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        sender.Attempts.ShouldBe(0, "sending blind could repeat a text that already went out");
        (await harness.Published.Any<Fault<SendSmsCode>>(TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_sent_text_is_not_failed_when_the_ledger_write_fails()
    {
        ledger.WritesFail = true;

        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        sender.Sent.Count.ShouldBe(1, "failing the message would have the bus send it again");
        (await harness.Published.Any<Fault<SendSmsCode>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task Emails_keep_their_retry_budget_next_to_the_sms_consumers()
    {
        // Both consumer groups ask for the retry policy: it is applied once, with both kinds of undeliverable ignored.
        await harness.Bus.Publish(new PasswordChanged(Guid.NewGuid(), "alice@example.com", DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        emailSender.Attempts.ShouldBe((Retries + 1) * TestSchedule.Rounds);
    }

    [Fact]
    public async Task A_code_that_expired_before_it_could_be_sent_is_not_sent()
    {
        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", clock.GetUtcNow().AddSeconds(-1)), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        sender.Attempts.ShouldBe(0, "a dead code only confuses, and costs money");
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Expired).ShouldBe(1);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(0);
    }

    [Fact]
    public async Task A_code_is_sent_until_its_last_second()
    {
        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", clock.GetUtcNow().AddSeconds(1)), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        sender.Sent.Count.ShouldBe(1);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
    }

    [Fact]
    public async Task A_text_is_postponed_only_while_its_code_would_still_work_when_it_comes_back()
    {
        sender.TransientFailuresBeforeSuccess = int.MaxValue;

        // Valid 3 minutes: back after 1 minute is worth it; back after 5 more is not.
        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", clock.GetUtcNow().AddMinutes(3)), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        waitingRoom.Postponed.Select(p => p.Delay).ShouldBe([TimeSpan.FromMinutes(1)]);
        sender.Attempts.ShouldBe((Retries + 1) * 2);
        sender.Sent.ShouldBeEmpty();
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Expired).ShouldBe(1);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(0, "nothing for an operator to move back: the code is dead");
    }

    [Fact]
    public async Task A_text_that_failed_in_a_short_outage_goes_out_on_its_return()
    {
        sender.TransientFailuresBeforeSuccess = Retries + 1;

        await harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", clock.GetUtcNow().AddMinutes(3)), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        waitingRoom.Postponed.Select(p => p.Delay).ShouldBe([TimeSpan.FromMinutes(1)]);
        sender.Sent.ShouldHaveSingleItem().Body.ShouldStartWith("123456 is your AuthPlatform code.");
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
    }

    [Fact]
    public async Task Neither_the_code_nor_the_number_reaches_the_logs()
    {
        sender.TransientFailuresBeforeSuccess = 1;

        await harness.Bus.Publish(new SendSmsCode(Number, "987654", "sign-in"), TestContext.Current.CancellationToken);
        await harness.Bus.Publish(new SendSmsCode("+15005550006", "876543", "sign-in\nforged log line"), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        var smsLogs = string.Join("\n", logs.Entries.Where(e => e.Category.StartsWith("AuthPlatform.Notification", StringComparison.Ordinal)).Select(e => e.Message));
        smsLogs.ShouldContain("Sent the sign-in code SMS to +44******0123");
        smsLogs.ShouldContain("Sent the one-time code SMS to +1******0006");
        smsLogs.ShouldNotContain("987654");
        smsLogs.ShouldNotContain("876543");
        smsLogs.ShouldNotContain(Number);
        smsLogs.ShouldNotContain("forged");
    }

    private sealed class FakeSmsSender : ISmsSender
    {
        private int attempts;

        public ConcurrentQueue<(string To, string Body)> Sent { get; } = new();

        public int Attempts => Volatile.Read(ref attempts);

        public int TransientFailuresBeforeSuccess { get; set; }

        public bool Permanent { get; set; }

        public Task<SmsSendResult> SendAsync(string to, string body, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref attempts);
            if (Permanent)
            {
                return Task.FromResult<SmsSendResult>(new SmsSendFailed(SmsFailureKind.Permanent,
                    "Twilio answered HTTP 400, error 21211 (invalid 'To' number).", 400, 21211));
            }
            if (attempt <= TransientFailuresBeforeSuccess)
            {
                return Task.FromResult<SmsSendResult>(new SmsSendFailed(SmsFailureKind.Transient, "Twilio answered HTTP 503.", 503) { Attempts = 3 });
            }
            Sent.Enqueue((to, body));
            return Task.FromResult<SmsSendResult>(new SmsSent("SM" + Guid.NewGuid().ToString("N"), "queued"));
        }
    }

    private sealed class FailingEmailSender : IEmailSender
    {
        private int attempts;

        public int Attempts => Volatile.Read(ref attempts);

        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref attempts);
            throw new EmailSendFailedException("The SMTP server answered 421 (MessageNotAccepted).");
        }
    }
}

// The consumer with the real Twilio sender against the fake Twilio: what the worker does, minus RabbitMQ and Redis.
public sealed class SmsThroughTwilioTests : IAsyncLifetime
{
    private readonly FakeTwilio twilio = new();
    private ServiceProvider provider = null!;
    private ITestHarness harness = null!;
    private CounterRecorder deliveries = null!;

    public async ValueTask InitializeAsync()
    {
        await twilio.StartAsync();
        var configuration = TestHost.Configuration(twilio.Environment.Append(new("PublicBaseUrl", "https://auth.example.com")));
        provider = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging()
            .AddMetrics()
            .AddSmsDelivery(configuration)
            .AddSingleton<IDeliveryLedger, FakeDeliveryLedger>()
            .AddSingleton<IPostponedDeliveries>(new ClockWaitingRoom(new FakeTimeProvider()))
            .Configure<DeliveryRetryOptions>(retry =>
            {
                retry.Count = 2;
                retry.MinInterval = TimeSpan.FromMilliseconds(10);
                retry.MaxInterval = TimeSpan.FromMilliseconds(50);
                retry.IntervalDelta = TimeSpan.FromMilliseconds(10);
            })
            .AddMassTransitTestHarness(bus => bus.AddSmsConsumers())
            .BuildServiceProvider(validateScopes: true);
        harness = provider.GetRequiredService<ITestHarness>();
        harness.TestInactivityTimeout = TimeSpan.FromMilliseconds(500);
        deliveries = new CounterRecorder(provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.deliveries");
        await harness.Start();
    }

    public async ValueTask DisposeAsync()
    {
        deliveries?.Dispose();
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
        await twilio.DisposeAsync();
    }

    [Fact]
    public async Task The_code_reaches_twilio_once_under_redelivery()
    {
        var messageId = NewId.NextGuid();
        var request = new SendSmsCode("+447700900123", "246810", "sign-in");

        await harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        var message = await twilio.WaitForMessageAsync("+447700900123", timeout: TimeSpan.FromSeconds(10));
        // A redelivery comes after the first delivery was handled: Twilio has the text before the ledger has its id.
        await BusWait.UntilAsync(() => deliveries.Total(DeliveryTags.Sms) == 1);
        await harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await BusWait.UntilAsync(() => deliveries.Total(DeliveryTags.Sms) == 2);

        message.Code.ShouldBe("246810");
        message.Body.Split('\n')[^1].ShouldBe("@auth.example.com #246810");
        twilio.Messages.Count.ShouldBe(1);
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Duplicate).ShouldBe(1);
    }

    [Fact]
    public async Task An_invalid_number_goes_to_the_error_queue_after_one_request()
    {
        twilio.RespondInvalidTo(count: 5);

        await harness.Bus.Publish(new SendSmsCode("+447700900123", "246810", "sign-in"), TestContext.Current.CancellationToken);
        await harness.InactivityTask;

        twilio.Requests.Count.ShouldBe(1, "neither the sender nor the bus retries a refused number");
        deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(1);
        var fault = await harness.Published.SelectAsync<Fault<SendSmsCode>>(TestContext.Current.CancellationToken).FirstOrDefault();
        fault.ShouldNotBeNull();
        var exception = fault.Context.Message.Exceptions.Single();
        exception.ExceptionType.ShouldBe(typeof(SmsRejectedException).FullName);
        exception.Message.ShouldContain("21211");
        exception.Message.ShouldNotContain("+447700900123", Case.Sensitive, "Twilio's own text, which the SDK's exception carries, quotes the number");
    }
}
