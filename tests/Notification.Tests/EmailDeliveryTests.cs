using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AuthPlatform.Contracts;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using AuthPlatform.Notification.Extensions;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace AuthPlatform.Notification.Tests;

// The consumers, retry and idempotency on MassTransit's in-memory bus, with the SMTP server and Redis replaced
// by fakes: the real wiring of the worker, no servers.
public sealed class EmailDeliveryTests : IAsyncLifetime
{
    private const int Retries = 2;

    private readonly FakeEmailSender _sender = new();
    private readonly FakeDeliveryLedger _ledger = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly ClockWaitingRoom _waitingRoom;
    private readonly ServiceProvider _provider;
    private readonly ITestHarness _harness;
    private readonly CounterRecorder _deliveries;

    public EmailDeliveryTests()
    {
        _waitingRoom = new ClockWaitingRoom(_clock);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton<IPostponedDeliveries>(_waitingRoom)
            .Configure<PostponementOptions>(TestSchedule.Apply)
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddMetrics()
            .AddEmailDelivery()
            .AddSingleton<IEmailSender>(_sender)
            .AddSingleton<IDeliveryLedger>(_ledger)
            .Configure<DeliveryRetryOptions>(retry =>
            {
                retry.Count = Retries;
                retry.MinInterval = TimeSpan.FromMilliseconds(10);
                retry.MaxInterval = TimeSpan.FromMilliseconds(50);
                retry.IntervalDelta = TimeSpan.FromMilliseconds(10);
            })
            .AddMassTransitTestHarness(bus => bus.AddEmailConsumers());
        _provider = services.BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestInactivityTimeout = TimeSpan.FromMilliseconds(500);
        _deliveries = new CounterRecorder(_provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.deliveries");
    }

    public async ValueTask InitializeAsync() => await _harness.Start();

    public async ValueTask DisposeAsync()
    {
        // Only email consumers here: nothing may count as a text.
        _deliveries.Total(DeliveryTags.Sms).ShouldBe(0);
        _deliveries.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task A_redelivered_message_is_sent_once()
    {
        var messageId = NewId.NextGuid();
        var request = VerifyEmail("alice@example.com");

        await _harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await _harness.InactivityTask;
        await _harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        // The inactivity task has completed already, and the harness lists a message id once: wait for the
        // second delivery's outcome instead.
        await BusWait.UntilAsync(() => _deliveries.Count(DeliveryTags.Email, "sent") + _deliveries.Count(DeliveryTags.Email, "duplicate") + _deliveries.Count(DeliveryTags.Email, "failed") == 2);

        _sender.Sent.Count.ShouldBe(1);
        _ledger.Delivered.ShouldContainKey(("email", messageId));
        _deliveries.Count(DeliveryTags.Email, "sent").ShouldBe(1);
        _deliveries.Count(DeliveryTags.Email, "duplicate").ShouldBe(1);
        (await _harness.Published.Any<Fault<SendEmail>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_message_published_twice_whose_copies_are_taken_at_once_is_sent_once()
    {
        var messageId = NewId.NextGuid();
        var request = VerifyEmail("dave@example.com");
        // The copy that claimed it sends only once the other copy has found it claimed: both are in flight together.
        var otherCopyRefused = new TaskCompletionSource();
        _ledger.ClaimRefused = () => otherCopyRefused.TrySetResult();
        _sender.SendAfter = otherCopyRefused.Task;

        await _harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await _harness.Bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await BusWait.UntilAsync(() => _deliveries.Count(DeliveryTags.Email, "sent") + _deliveries.Count(DeliveryTags.Email, "duplicate") == 2);

        otherCopyRefused.Task.IsCompleted.ShouldBeTrue("the two copies were handled at the same time");
        _sender.Sent.Count.ShouldBe(1);
        _deliveries.Count(DeliveryTags.Email, "duplicate").ShouldBe(1);
        (await _harness.Published.Any<Fault<SendEmail>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task Different_messages_are_each_sent()
    {
        await _harness.Bus.Publish(VerifyEmail("alice@example.com"), TestContext.Current.CancellationToken);
        await _harness.Bus.Publish(new PasswordChanged(Guid.NewGuid(), "bob@example.com", DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        await _harness.Bus.Publish(new SignUpAttemptedOnExistingAccount(Guid.NewGuid(), "carol@example.com", DateTimeOffset.UtcNow),
            TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Sent.Select(m => m.Subject).ShouldBe(
        [
            "Verify your email for AuthPlatform",
            "Your AuthPlatform password was changed",
            "Someone tried to create an AuthPlatform account with your email",
        ], ignoreOrder: true);
        _ledger.Delivered.Count.ShouldBe(3);
        _deliveries.Count(DeliveryTags.Email, "sent").ShouldBe(3);
    }

    [Fact]
    public async Task Sign_up_attempts_on_one_address_within_the_cooldown_send_one_email_and_a_retry_still_sends()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // The first attempt fails at the SMTP server: the retry of that same message must not be stopped by the
        // cooldown it started itself.
        _sender.FailuresBeforeSuccess = 1;

        await _harness.Bus.Publish(new SignUpAttemptedOnExistingAccount(Guid.NewGuid(), "dave@example.com", DateTimeOffset.UtcNow), cancellationToken);
        await _harness.InactivityTask;
        await _harness.Bus.Publish(new SignUpAttemptedOnExistingAccount(Guid.NewGuid(), "Dave@example.com", DateTimeOffset.UtcNow), cancellationToken);
        await _harness.Bus.Publish(new SignUpAttemptedOnExistingAccount(Guid.NewGuid(), "erin@example.com", DateTimeOffset.UtcNow), cancellationToken);
        await BusWait.UntilAsync(() => _sender.Sent.Count == 2);
        await Task.Delay(500, cancellationToken); // a third email, if one were coming, would be here by now

        _sender.Sent.Select(m => m.To.Mailboxes.Single().Address).ShouldBe(["dave@example.com", "erin@example.com"], ignoreOrder: true);
        _deliveries.Count(DeliveryTags.Email, "sent").ShouldBe(2);
    }

    [Fact]
    public async Task A_redelivered_recovery_code_used_event_is_sent_once()
    {
        var messageId = NewId.NextGuid();
        var used = new RecoveryCodeUsed(Guid.NewGuid(), "alice@example.com", 9, DateTimeOffset.UtcNow);

        await _harness.Bus.Publish(used, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await _harness.InactivityTask;
        await _harness.Bus.Publish(used, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        // As above: wait for the second delivery's outcome, not for the (already completed) inactivity task.
        await BusWait.UntilAsync(() => _deliveries.Count(DeliveryTags.Email, "sent") + _deliveries.Count(DeliveryTags.Email, "duplicate") + _deliveries.Count(DeliveryTags.Email, "failed") == 2);

        _sender.Sent.Count.ShouldBe(1);
        _sender.Sent.Single().Subject.ShouldBe("A recovery code was used to sign in to your AuthPlatform account");
        _ledger.Delivered.ShouldContainKey(("email", messageId));
        _deliveries.Count(DeliveryTags.Email, "sent").ShouldBe(1);
        _deliveries.Count(DeliveryTags.Email, "duplicate").ShouldBe(1);
        (await _harness.Published.Any<Fault<RecoveryCodeUsed>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task The_two_factor_events_are_each_sent()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await _harness.Bus.Publish(new MfaEnabled(Guid.NewGuid(), "alice@example.com", "totp", false, DateTimeOffset.UtcNow), cancellationToken);
        await _harness.Bus.Publish(new MfaDisabled(Guid.NewGuid(), "bob@example.com", DateTimeOffset.UtcNow), cancellationToken);
        await _harness.Bus.Publish(new RecoveryCodeUsed(Guid.NewGuid(), "carol@example.com", 1, DateTimeOffset.UtcNow), cancellationToken);
        await _harness.Bus.Publish(new MfaFailuresDetected(Guid.NewGuid(), "dave@example.com", 5, DateTimeOffset.UtcNow), cancellationToken);
        await _harness.InactivityTask;

        _sender.Sent.Select(m => (m.To.Mailboxes.Single().Address, m.Subject)).ShouldBe(
        [
            ("alice@example.com", "Two-factor authentication was turned on for your AuthPlatform account"),
            ("bob@example.com", "Two-factor authentication was turned off for your AuthPlatform account"),
            ("carol@example.com", "A recovery code was used to sign in to your AuthPlatform account"),
            ("dave@example.com", "Repeated failed two-factor attempts on your AuthPlatform account"),
        ], ignoreOrder: true);
        _ledger.Delivered.Count.ShouldBe(4);
        _deliveries.Count(DeliveryTags.Email, "sent").ShouldBe(4);
    }

    [Fact]
    public async Task A_two_factor_email_that_keeps_failing_is_retried_postponed_then_faults()
    {
        _sender.FailuresBeforeSuccess = int.MaxValue;

        await _harness.Bus.Publish(new MfaDisabled(Guid.NewGuid(), "alice@example.com", DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe((Retries + 1) * TestSchedule.Rounds, "the new consumers get the same retries and postponements");
        _waitingRoom.Postponed.Select(p => p.Delay).ShouldBe(TestSchedule.Expected);
        _ledger.Delivered.ShouldBeEmpty();
        _deliveries.Count(DeliveryTags.Email, "failed").ShouldBe(1);
        (await _harness.Published.Any<Fault<MfaDisabled>>(TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_failed_send_is_retried_and_recorded_only_once_it_went_out()
    {
        _sender.FailuresBeforeSuccess = Retries;

        await _harness.Bus.Publish(VerifyEmail("alice@example.com"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(Retries + 1);
        _sender.Sent.Count.ShouldBe(1);
        _ledger.Delivered.Count.ShouldBe(1);
        _deliveries.Count(DeliveryTags.Email, "sent").ShouldBe(1);
        _deliveries.Count(DeliveryTags.Email, "failed").ShouldBe(0, "retried attempts are not final failures");
        (await _harness.Published.Any<Fault<SendEmail>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task An_outage_longer_than_the_retries_postpones_the_email_and_it_goes_out_once_the_server_is_back()
    {
        // Down for the first delivery and the first return: sent on the second return, 6 minutes later.
        _sender.FailuresBeforeSuccess = (Retries + 1) * 2;
        var messageId = NewId.NextGuid();

        await _harness.Bus.Publish(VerifyEmail("alice@example.com"), context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Sent.Count.ShouldBe(1);
        _waitingRoom.Postponed.ShouldBe([(messageId, TimeSpan.FromMinutes(1)), (messageId, TimeSpan.FromMinutes(5))],
            "the same message id comes back, so the ledger still sends it once");
        _ledger.Delivered.Keys.ShouldBe([("email", messageId)]);
        _deliveries.Count(DeliveryTags.Email, "sent").ShouldBe(1);
        _deliveries.Count(DeliveryTags.Email, "failed").ShouldBe(0, "a postponed message has not failed");
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_postponed_on_schedule_then_given_up()
    {
        _sender.FailuresBeforeSuccess = int.MaxValue;

        await _harness.Bus.Publish(VerifyEmail("alice@example.com"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe((Retries + 1) * TestSchedule.Rounds);
        _waitingRoom.Postponed.Select(p => p.Delay).ShouldBe(TestSchedule.Expected, "1, 5, then 15 minutes until 30 have passed");
        _ledger.Delivered.ShouldBeEmpty();
        _deliveries.Count(DeliveryTags.Email, "failed").ShouldBe(1);
        (await _harness.Published.Any<Fault<SendEmail>>(TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_message_an_operator_moved_back_from_the_error_queue_gets_a_fresh_schedule()
    {
        _sender.FailuresBeforeSuccess = int.MaxValue;

        // As it comes out of _error: MassTransit's fault headers, and our history from two days ago.
        await _harness.Bus.Publish(VerifyEmail("alice@example.com"), context =>
        {
            context.Headers.Set(MessageHeaders.FaultExceptionType, "System.Net.Sockets.SocketException");
            context.Headers.Set(MessageHeaders.FaultTimestamp, _clock.GetUtcNow().AddDays(-1).ToString("O"));
            context.Headers.Set(MessageHeaders.Reason, "fault");
            context.Headers.Set("AuthPlatform-Postponed", "9");
            context.Headers.Set("AuthPlatform-First-Postponed", _clock.GetUtcNow().AddDays(-2).ToUnixTimeMilliseconds().ToString());
        }, TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _waitingRoom.Postponed.Select(p => p.Delay).ShouldBe(TestSchedule.Expected,
            "the whole schedule again, once: its own returns are not mistaken for moves");
        _deliveries.Count(DeliveryTags.Email, "failed").ShouldBe(1);
    }

    [Fact]
    public async Task A_message_that_cannot_be_postponed_goes_to_the_error_queue_instead_of_being_lost()
    {
        _sender.FailuresBeforeSuccess = int.MaxValue;
        _waitingRoom.Broken = true;

        await _harness.Bus.Publish(VerifyEmail("alice@example.com"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(Retries + 1);
        _deliveries.Count(DeliveryTags.Email, "failed").ShouldBe(1);
        (await _harness.Published.Any<Fault<SendEmail>>(TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_permanent_failure_is_never_postponed()
    {
        _sender.Rejects = true;

        await _harness.Bus.Publish(VerifyEmail("nobody@example.com"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _waitingRoom.Postponed.ShouldBeEmpty();
        _deliveries.Count(DeliveryTags.Email, "failed").ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_template_faults_at_once_without_retries()
    {
        await _harness.Bus.Publish(new SendEmail("alice@example.com", "no-such-template", new Dictionary<string, string>()),
            TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(0);
        _deliveries.Count(DeliveryTags.Email, "failed").ShouldBe(1);
        var fault = await _harness.Published.SelectAsync<Fault<SendEmail>>(TestContext.Current.CancellationToken).FirstOrDefault();
        fault.ShouldNotBeNull();
        fault.Context.Message.Exceptions.Single().ExceptionType.ShouldBe(typeof(UnknownEmailTemplateException).FullName);
        _harness.Consumed.Select<SendEmail>(TestContext.Current.CancellationToken).Count().ShouldBe(1, "an undeliverable email is not retried");
    }

    [Fact]
    public async Task A_permanent_smtp_rejection_is_not_retried()
    {
        _sender.Rejects = true;

        await _harness.Bus.Publish(VerifyEmail("nobody@example.com"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(1);
        _deliveries.Count(DeliveryTags.Email, "failed").ShouldBe(1);
        (await _harness.Published.Any<Fault<SendEmail>>(TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public async Task Nothing_is_sent_while_the_ledger_cannot_be_read()
    {
        _ledger.Unreachable = true;

        await _harness.Bus.Publish(VerifyEmail("alice@example.com"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Attempts.ShouldBe(0, "sending blind could repeat an email that already went out");
        (await _harness.Published.Any<Fault<SendEmail>>(TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_sent_email_is_not_failed_when_the_ledger_write_fails()
    {
        _ledger.WritesFail = true;

        await _harness.Bus.Publish(VerifyEmail("alice@example.com"), TestContext.Current.CancellationToken);
        await _harness.InactivityTask;

        _sender.Sent.Count.ShouldBe(1, "failing the message would have the bus send it again");
        _deliveries.Count(DeliveryTags.Email, "sent").ShouldBe(1);
        (await _harness.Published.Any<Fault<SendEmail>>(TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    private static SendEmail VerifyEmail(string to) =>
        new(to, EmailTemplates.VerifyEmail, new Dictionary<string, string> { ["link"] = "https://auth.example.com/verify-email?token=t" });

    private sealed class FakeEmailSender : IEmailSender
    {
        private int _attempts;

        public ConcurrentQueue<MimeMessage> Sent { get; } = new();

        public int Attempts => Volatile.Read(ref _attempts);

        public int FailuresBeforeSuccess { get; set; }

        public bool Rejects { get; set; }

        /// <summary>Sends wait for this (at most 5 s) first.</summary>
        public Task SendAfter { get; set; } = Task.CompletedTask;

        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            await Task.WhenAny(SendAfter, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
            var attempt = Interlocked.Increment(ref _attempts);
            if (Rejects)
            {
                throw new EmailRejectedException("The SMTP server rejected the recipient with 550.");
            }
            if (attempt <= FailuresBeforeSuccess)
            {
                throw new EmailSendFailedException("The SMTP server answered 421 (MessageNotAccepted).");
            }
            Sent.Enqueue(message);
        }
    }
}
