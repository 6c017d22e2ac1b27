using System.Diagnostics.Metrics;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using AuthPlatform.Notification.Extensions;
using AuthPlatform.Notification.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace AuthPlatform.Notification.Tests;

// Emails share SMTP connections (a handshake per burst, not per email: MailDev holds its greeting back 100 ms), and
// sharing never costs an email: a connection the server dropped, one idle too long or one that saw a failure is
// not used again.
public sealed class SmtpConnectionsTests : IAsyncDisposable
{
    private readonly RecordingSmtpServer _smtp = RecordingSmtpServer.Start();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _provider = new ServiceCollection().AddMetrics().AddSingleton<NotificationMetrics>().BuildServiceProvider();
    private readonly List<SmtpConnections> _made = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Emails_sent_one_after_another_go_over_one_connection_and_each_is_accepted()
    {
        using var connections = new CounterRecorder(_provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.smtp.connections");
        var sender = Sender(out _);

        for (var i = 0; i < 3; i++)
        {
            await sender.SendAsync(Message($"alice{i}@example.com"), Token);
        }

        _smtp.Connections.ShouldBe(1);
        _smtp.Accepted.ShouldBe(3);
        _smtp.Lines.Count(l => l.StartsWith("MAIL FROM", StringComparison.OrdinalIgnoreCase)).ShouldBe(3);
        // Each reuse first made sure the server still answered.
        _smtp.Lines.Count(l => l.Equals("NOOP", StringComparison.OrdinalIgnoreCase)).ShouldBe(2);
        connections.CountTagged(SmtpConnectionTags.Reused).ShouldBe(2);
    }

    [Fact]
    public async Task Emails_sent_at_once_each_get_a_connection_and_the_next_burst_reuses_them()
    {
        var sender = Sender(out _);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => sender.SendAsync(Message($"first{i}@example.com"), Token)));
        var opened = _smtp.Connections;
        // As many at once as the first burst left open: each finds one of them.
        await Task.WhenAll(Enumerable.Range(0, opened).Select(i => sender.SendAsync(Message($"second{i}@example.com"), Token)));

        opened.ShouldBeInRange(1, 4);
        _smtp.Connections.ShouldBe(opened, "the second burst found the first burst's connections open");
        _smtp.Accepted.ShouldBe(4 + opened);
    }

    [Fact]
    public async Task A_connection_the_server_dropped_while_idle_costs_a_new_connection_not_the_email()
    {
        var sender = Sender(out _);
        await sender.SendAsync(Message("before@example.com"), Token);

        _smtp.DropOpenConnections();
        await sender.SendAsync(Message("after@example.com"), Token);

        _smtp.Connections.ShouldBe(2);
        _smtp.Accepted.ShouldBe(2);
        _smtp.Lines.ShouldContain(l => l.Contains("after@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_idle_past_the_limit_is_ended_with_QUIT_and_the_next_email_opens_a_new_one()
    {
        var sender = Sender(out _, idleLimit: TimeSpan.FromSeconds(30));
        await sender.SendAsync(Message("before@example.com"), Token);

        _clock.Advance(TimeSpan.FromSeconds(15));
        _smtp.Quits.ShouldBe(0, "still within the limit");
        _clock.Advance(TimeSpan.FromSeconds(15));
        await _smtp.WaitForQuitsAsync(1);
        await sender.SendAsync(Message("after@example.com"), Token);

        _smtp.Connections.ShouldBe(2);
        _smtp.Accepted.ShouldBe(2);
    }

    [Fact]
    public async Task With_a_zero_idle_limit_each_email_has_a_connection_of_its_own_ended_with_QUIT()
    {
        var sender = Sender(out _, idleLimit: TimeSpan.Zero);

        await sender.SendAsync(Message("one@example.com"), Token);
        await sender.SendAsync(Message("two@example.com"), Token);

        _smtp.Connections.ShouldBe(2);
        await _smtp.WaitForQuitsAsync(2);
        _smtp.Accepted.ShouldBe(2);
    }

    [Fact]
    public async Task A_connection_that_saw_a_refusal_carries_no_other_email()
    {
        var sender = Sender(out _);

        await Should.ThrowAsync<EmailRejectedException>(() => sender.SendAsync(Message($"nobody@{RecordingSmtpServer.RefusedDomain}"), Token));
        await sender.SendAsync(Message("alice@example.com"), Token);

        _smtp.Connections.ShouldBe(2);
        _smtp.Accepted.ShouldBe(1);
    }

    [Fact]
    public async Task Stopping_the_worker_ends_its_idle_connections_with_QUIT()
    {
        var sender = Sender(out var connections);
        await sender.SendAsync(Message("alice@example.com"), Token);
        _smtp.Quits.ShouldBe(0);

        await connections.DisposeAsync();

        await _smtp.WaitForQuitsAsync(1);
    }

    [Theory]
    [InlineData("00:05:01", "4")]
    [InlineData("-00:00:01", "4")]
    [InlineData("00:00:30", "33")]
    [InlineData("00:00:30", "-1")]
    public void Limits_outside_their_range_stop_the_worker_at_start(string idleLimit, string idleConnections)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:SmtpConnectionIdleLimit"] = idleLimit,
            ["Email:IdleSmtpConnections"] = idleConnections,
        }).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMetrics().AddEmailDelivery().BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmailOptions>>().Value)
            .Message.ShouldContain("Email:SmtpConnectionIdleLimit");
    }

    private SmtpEmailSender Sender(out SmtpConnections connections, TimeSpan? idleLimit = null)
    {
        var options = new EmailOptions();
        if (idleLimit is { } limit)
        {
            options.SmtpConnectionIdleLimit = limit;
        }
        connections = new SmtpConnections(new SmtpServer("127.0.0.1", _smtp.Port, ImplicitTls: false, null, null), Options.Create(options), _clock,
            _provider.GetRequiredService<NotificationMetrics>(), NullLogger<SmtpConnections>.Instance);
        _made.Add(connections);
        return new SmtpEmailSender(connections);
    }

    private static MimeMessage Message(string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("no-reply@authplatform.local"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "Connection test";
        message.Body = new TextPart("plain") { Text = "hello" };
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connections in _made)
        {
            await connections.DisposeAsync();
        }
        await _smtp.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
