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
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace AuthPlatform.Notification.Tests;

// The SMS consumer, retry and idempotency on MassTransit's in-memory bus, next to the email consumers as in the
// worker; the SMS provider and Redis replaced by fakes.
public sealed class SmsDeliveryTests : IAsyncLifetime
{
    private const int Retries = 2;
    private const string Number = "+447700900123";

    private readonly FakeSmsSender _sender = new();
    private readonly FailingEmailSender _emailSender = new();
    private readonly FakeDeliveryLedger _ledger = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly ClockWaitingRoom _waitingRoom;
    private readonly LogCollector _logs = new();
    private readonly ServiceProvider _provider;
    private readonly ITestHarness _harness;
    private readonly CounterRecorder _deliveries;

    public SmsDeliveryTests()
    {
        var configuration = TestHost.Configuration([new("PublicBaseUrl", "https://auth.example.com"), new("Sms__UseDevelopmentSender", "true")]);
        _waitingRoom = new ClockWaitingRoom(_clock);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton<IPostponedDeliveries>(_waitingRoom)
            .Configure<PostponementOptions>(TestSchedule.Apply)
            .AddSingleton(configuration)
            .AddLogging(logging => logging.AddProvider(_logs))
            .AddMetrics()
            .AddEmailDelivery()
            .AddSmsDelivery(configuration)
            .AddSingleton<IEmailSender>(_emailSender)
            .AddSingleton<ISmsSender>(_sender)
            .AddSingleton<IDeliveryLedger>(_ledger)
            .Configure<DeliveryRetryOptions>(retry =>
            {
                retry.Count = Retries;
                retry.MinInterval = TimeSpan.FromMilliseconds(10);
                retry.MaxInterval = TimeSpan.FromMilliseconds(50);
                retry.IntervalDelta = TimeSpan.FromMilliseconds(10);
            })
            .AddMassTransitTestHarness(bus => bus.AddEmailConsumers().AddSmsConsumers());
        _provider = services.BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestInactivityTimeout = TimeSpan.FromMilliseconds(500);
        _deliveries = new CounterRecorder(_provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.deliveries");
    }

    public async ValueTask InitializeAsync() => await _harness.Start();

    public async ValueTask DisposeAsync()
    {
        _deliveries.Dispose();
        await _provider.DisposeAsync();
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
        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", Lifetime: lifetime), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        var (to, body) = _sender.Sent.ShouldHaveSingleItem();
        to.ShouldBe(Number);
        body.ShouldBe(expected);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
        _deliveries.Total(DeliveryTags.Email).ShouldBe(0);
    }

    [Fact]
    public async Task A_redelivered_message_is_sent_once()
    {
        var messageId = NewId.NextGuid();
        var request = new SendSmsCode(Number, "123456", "phone-enroll");

        await _harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await _harness.InactivityTask;
        await _harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        // The inactivity task has completed already: wait for the second delivery's outcome instead.
        await BusWait.UntilAsync(() => _deliveries.Total(DeliveryTags.Sms) == 2);

        _sender.Sent.Count.ShouldBe(1);
        _ledger.Delivered.ShouldContainKey((DeliveryTags.Sms, messageId));
        _ledger.Delivered.ShouldNotContainKey((DeliveryTags.Email, messageId), "each channel has its own ledger keys");
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Duplicate).ShouldBe(1);
        (await _harness.Published.Any<Fault<SendSmsCode>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task Different_messages_to_the_same_number_are_each_sent()
    {
        await _harness.Bus.Publish(new SendSmsCode(Number, "111111", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.Bus.Publish(new SendSmsCode(Number, "222222", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Sent.Select(s => FakeTwilio.CodeIn(s.Body)).ShouldBe(["111111", "222222"], ignoreOrder: true);
        _ledger.Delivered.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_by_the_bus_and_recorded_only_once_it_went_out()
    {
        _sender.TransientFailuresBeforeSuccess = Retries;

        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(Retries + 1);
        _sender.Sent.Count.ShouldBe(1);
        _ledger.Delivered.Count.ShouldBe(1);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(0, "retried attempts are not final failures");
        (await _harness.Published.Any<Fault<SendSmsCode>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_message_without_an_expiry_that_keeps_failing_is_postponed_then_faults()
    {
        _sender.TransientFailuresBeforeSuccess = int.MaxValue;

        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe((Retries + 1) * TestSchedule.Rounds);
        _waitingRoom.Postponed.Select(p => p.Delay).ShouldBe(TestSchedule.Expected);
        _ledger.Delivered.ShouldBeEmpty();
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(1);
        var fault = await _harness.Published.SelectAsync<Fault<SendSmsCode>>(TestContext.Current.CancellationToken).FirstOrDefault();
        fault.ShouldNotBeNull();
        fault.Context.Message.Exceptions.Single().ExceptionType.ShouldBe(typeof(SmsSendFailedException).FullName);
    }

    [Fact]
    public async Task A_permanent_refusal_faults_at_once_without_retries()
    {
        _sender.Permanent = true;

        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(1);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(1);
        var fault = await _harness.Published.SelectAsync<Fault<SendSmsCode>>(TestContext.Current.CancellationToken).FirstOrDefault();
        fault.ShouldNotBeNull();
        var exception = fault.Context.Message.Exceptions.Single();
        exception.ExceptionType.ShouldBe(typeof(SmsRejectedException).FullName);
        exception.Message.ShouldContain("21211");
        _harness.Consumed.Select<SendSmsCode>(TestContext.Current.CancellationToken).Count().ShouldBe(1, "a refused text is not retried");
    }

    [Fact]
    public async Task A_malformed_code_faults_without_sending()
    {
        await _harness.Bus.Publish(new SendSmsCode(Number, "12345", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(0);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(1);
        var fault = await _harness.Published.SelectAsync<Fault<SendSmsCode>>(TestContext.Current.CancellationToken).FirstOrDefault();
        fault.ShouldNotBeNull();
        fault.Context.Message.Exceptions.Single().ExceptionType.ShouldBe(typeof(InvalidSmsValueException).FullName);
    }

    [Fact]
    public async Task Nothing_is_sent_while_the_ledger_cannot_be_read()
    {
        _ledger.Unreachable = true;

        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(0, "sending blind could repeat a text that already went out");
        (await _harness.Published.Any<Fault<SendSmsCode>>(TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_sent_text_is_not_failed_when_the_ledger_write_fails()
    {
        _ledger.WritesFail = true;

        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Sent.Count.ShouldBe(1, "failing the message would have the bus send it again");
        (await _harness.Published.Any<Fault<SendSmsCode>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task Emails_keep_their_retry_budget_next_to_the_sms_consumers()
    {
        // Both consumer groups ask for the retry policy: it is applied once, with both kinds of undeliverable ignored.
        await _harness.Bus.Publish(new PasswordChanged(Guid.NewGuid(), "alice@example.com", DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _emailSender.Attempts.ShouldBe((Retries + 1) * TestSchedule.Rounds);
    }

    [Fact]
    public async Task A_code_that_expired_before_it_could_be_sent_is_not_sent()
    {
        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", _clock.GetUtcNow().AddSeconds(-1)), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(0, "a dead code only confuses, and costs money");
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Expired).ShouldBe(1);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(0);
    }

    [Fact]
    public async Task A_code_is_sent_until_its_last_second()
    {
        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", _clock.GetUtcNow().AddSeconds(1)), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Sent.Count.ShouldBe(1);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
    }

    [Fact]
    public async Task A_text_is_postponed_only_while_its_code_would_still_work_when_it_comes_back()
    {
        _sender.TransientFailuresBeforeSuccess = int.MaxValue;

        // Valid 3 minutes: back after 1 minute is worth it; back after 5 more is not.
        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", _clock.GetUtcNow().AddMinutes(3)), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _waitingRoom.Postponed.Select(p => p.Delay).ShouldBe([TimeSpan.FromMinutes(1)]);
        _sender.Attempts.ShouldBe((Retries + 1) * 2);
        _sender.Sent.ShouldBeEmpty();
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Expired).ShouldBe(1);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(0, "nothing for an operator to move back: the code is dead");
    }

    [Fact]
    public async Task A_text_that_failed_in_a_short_outage_goes_out_on_its_return()
    {
        _sender.TransientFailuresBeforeSuccess = Retries + 1;

        await _harness.Bus.Publish(new SendSmsCode(Number, "123456", "sign-in", _clock.GetUtcNow().AddMinutes(3)), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _waitingRoom.Postponed.Select(p => p.Delay).ShouldBe([TimeSpan.FromMinutes(1)]);
        _sender.Sent.ShouldHaveSingleItem().Body.ShouldStartWith("123456 is your AuthPlatform code.");
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Sent).ShouldBe(1);
    }

    [Fact]
    public async Task Neither_the_code_nor_the_number_reaches_the_logs()
    {
        _sender.TransientFailuresBeforeSuccess = 1;

        await _harness.Bus.Publish(new SendSmsCode(Number, "987654", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.Bus.Publish(new SendSmsCode("+15005550006", "876543", "sign-in\nforged log line"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        var smsLogs = string.Join("\n", _logs.Entries.Where(e => e.Category.StartsWith("AuthPlatform.Notification", StringComparison.Ordinal)).Select(e => e.Message));
        smsLogs.ShouldContain("Sent the sign-in code SMS to +44******0123");
        smsLogs.ShouldContain("Sent the one-time code SMS to +1******0006");
        smsLogs.ShouldNotContain("987654");
        smsLogs.ShouldNotContain("876543");
        smsLogs.ShouldNotContain(Number);
        smsLogs.ShouldNotContain("forged");
    }

    private sealed class FakeSmsSender : ISmsSender
    {
        private int _attempts;

        public ConcurrentQueue<(string To, string Body)> Sent { get; } = new();

        public int Attempts => Volatile.Read(ref _attempts);

        public int TransientFailuresBeforeSuccess { get; set; }

        public bool Permanent { get; set; }

        public Task<SmsSendResult> SendAsync(string to, string body, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts);
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
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            throw new EmailSendFailedException("The SMTP server answered 421 (MessageNotAccepted).");
        }
    }
}

// The consumer with the real Twilio sender against the fake Twilio: what the worker does, minus RabbitMQ and Redis.
public sealed class SmsThroughTwilioTests : IAsyncLifetime
{
    private readonly FakeTwilio _twilio = new();
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private CounterRecorder _deliveries = null!;

    public async ValueTask InitializeAsync()
    {
        await _twilio.StartAsync();
        var configuration = TestHost.Configuration(_twilio.Environment.Append(new("PublicBaseUrl", "https://auth.example.com")));
        _provider = new ServiceCollection()
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
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestInactivityTimeout = TimeSpan.FromMilliseconds(500);
        _deliveries = new CounterRecorder(_provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.deliveries");
        await _harness.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _deliveries?.Dispose();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task The_code_reaches_twilio_once_under_redelivery()
    {
        var messageId = NewId.NextGuid();
        var request = new SendSmsCode("+447700900123", "246810", "sign-in");

        await _harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        var message = await _twilio.WaitForMessageAsync("+447700900123", timeout: TimeSpan.FromSeconds(10));
        // A redelivery comes after the first delivery was handled: Twilio has the text before the ledger has its id.
        await BusWait.UntilAsync(() => _deliveries.Total(DeliveryTags.Sms) == 1);
        await _harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await BusWait.UntilAsync(() => _deliveries.Total(DeliveryTags.Sms) == 2);

        message.Code.ShouldBe("246810");
        message.Body.Split('\n')[^1].ShouldBe("@auth.example.com #246810");
        _twilio.Messages.Count.ShouldBe(1);
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Duplicate).ShouldBe(1);
    }

    [Fact]
    public async Task An_invalid_number_goes_to_the_error_queue_after_one_request()
    {
        _twilio.RespondInvalidTo(count: 5);

        await _harness.Bus.Publish(new SendSmsCode("+447700900123", "246810", "sign-in"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _twilio.Requests.Count.ShouldBe(1, "neither the sender nor the bus retries a refused number");
        _deliveries.Count(DeliveryTags.Sms, DeliveryTags.Failed).ShouldBe(1);
        var fault = await _harness.Published.SelectAsync<Fault<SendSmsCode>>(TestContext.Current.CancellationToken).FirstOrDefault();
        fault.ShouldNotBeNull();
        var exception = fault.Context.Message.Exceptions.Single();
        exception.ExceptionType.ShouldBe(typeof(SmsRejectedException).FullName);
        exception.Message.ShouldContain("21211");
        exception.Message.ShouldNotContain("+447700900123", Case.Sensitive, "Twilio's own text, which the SDK's exception carries, quotes the number");
    }
}
