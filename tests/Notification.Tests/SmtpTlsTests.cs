using System.Diagnostics.Metrics;
using System.Text;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using AuthPlatform.Notification.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AuthPlatform.Notification.Tests;

// The STARTTLS-stripping attack (issue 11 item 9): a server, or a man in the middle, that leaves STARTTLS out of
// its EHLO reply must get neither the credentials nor the mail.
public sealed class SmtpTlsTests : IAsyncDisposable
{
    private readonly RecordingSmtpServer _smtp = RecordingSmtpServer.Start();
    private readonly List<SmtpConnections> _connections = [];
    private readonly ServiceProvider _provider = new ServiceCollection().AddMetrics().AddSingleton<NotificationMetrics>().BuildServiceProvider();

    [Fact]
    public async Task With_credentials_a_server_without_starttls_gets_no_auth_and_no_mail()
    {
        using var tlsUnavailable = new CounterRecorder(_provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.smtp.tls_unavailable");
        var sender = Sender(new SmtpServer("127.0.0.1", _smtp.Port, ImplicitTls: false, "relay-user", "relay-secret"));

        var ex = await Should.ThrowAsync<SmtpTlsUnavailableException>(() => sender.SendAsync(Message(), TestContext.Current.CancellationToken));

        ex.ShouldBeAssignableTo<UndeliverableEmailException>("permanent: the bus must not retry it");
        ex.Message.ShouldContain("STARTTLS");
        ex.Message.ShouldNotContain("relay-secret");
        await _smtp.WaitForHangUpAsync();
        _smtp.Lines.ShouldContain(l => l.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase));
        _smtp.Lines.ShouldNotContain(l => l.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase));
        _smtp.Lines.ShouldNotContain(l => l.StartsWith("MAIL", StringComparison.OrdinalIgnoreCase));
        string.Join("\n", _smtp.Lines).ShouldNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("relay-secret")));
        tlsUnavailable.Total().ShouldBe(1);
    }

    [Fact]
    public async Task Loopback_without_credentials_still_delivers_in_plaintext()
    {
        var sender = Sender(new SmtpServer("127.0.0.1", _smtp.Port, ImplicitTls: false, null, null));

        await sender.SendAsync(Message(), TestContext.Current.CancellationToken);

        _smtp.Lines.ShouldContain(l => l.StartsWith("MAIL FROM", StringComparison.OrdinalIgnoreCase));
        _smtp.Lines.ShouldContain(l => l.Contains("Subject: TLS test", StringComparison.Ordinal));
        _smtp.Lines.ShouldNotContain(l => l.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("smtp://127.0.0.1:1025", false)]
    [InlineData("smtp://localhost:1025", false)]
    [InlineData("smtp://[::1]:1025", false)]
    [InlineData("smtp://user:pass@127.0.0.1:1025", true)]
    [InlineData("smtp://mail.example.com:587", true)]
    [InlineData("smtp://10.0.0.5:25", true)]
    public void Tls_is_required_unless_the_server_is_loopback_and_no_credentials_are_sent(string connectionString, bool required)
    {
        SmtpServer.Parse(connectionString).RequiresTls.ShouldBe(required);
    }

    private SmtpEmailSender Sender(SmtpServer server)
    {
        var connections = new SmtpConnections(server, Options.Create(new EmailOptions()), TimeProvider.System,
            _provider.GetRequiredService<NotificationMetrics>(), NullLogger<SmtpConnections>.Instance);
        _connections.Add(connections);
        return new SmtpEmailSender(connections);
    }

    private static MimeMessage Message()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("no-reply@authplatform.local"));
        message.To.Add(MailboxAddress.Parse("alice@example.com"));
        message.Subject = "TLS test";
        message.Body = new TextPart("plain") { Text = "hello" };
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connections in _connections)
        {
            await connections.DisposeAsync();
        }
        await _smtp.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
