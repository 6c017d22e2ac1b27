using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using AuthPlatform.Notification.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace AuthPlatform.Notification.Tests;

// The STARTTLS-stripping attack (issue 11 item 9): a server, or a man in the middle, that leaves STARTTLS out of
// its EHLO reply must get neither the credentials nor the mail.
public sealed class SmtpTlsTests : IAsyncDisposable
{
    private readonly PlaintextSmtpServer _smtp = PlaintextSmtpServer.Start();
    private readonly ServiceProvider _provider = new ServiceCollection().AddMetrics().AddSingleton<NotificationMetrics>().BuildServiceProvider();

    [Fact]
    public async Task With_credentials_a_server_without_starttls_gets_no_auth_and_no_mail()
    {
        using var tlsUnavailable = new MeasurementCount(_provider.GetRequiredService<IMeterFactory>(), "authplatform.notification.smtp.tls_unavailable");
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
        tlsUnavailable.Total.ShouldBe(1);
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

    private SmtpEmailSender Sender(SmtpServer server) => new(server, _provider.GetRequiredService<NotificationMetrics>());

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
        await _smtp.DisposeAsync();
        await _provider.DisposeAsync();
    }

    /// <summary>Sums one of the worker's counters, for this test's meter factory only.</summary>
    private sealed class MeasurementCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public MeasurementCount(IMeterFactory meterFactory, string instrumentName)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == instrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>
    /// A minimal SMTP server on loopback that offers AUTH but not STARTTLS, as a downgrading man in the middle
    /// would present one; it records every line the client sends.
    /// </summary>
    private sealed class PlaintextSmtpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _hungUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task _serving = Task.CompletedTask;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public IReadOnlyList<string> Lines => [.. _lines];

        public static PlaintextSmtpServer Start()
        {
            var server = new PlaintextSmtpServer();
            server._listener.Start();
            server._serving = server.ServeAsync();
            return server;
        }

        public Task WaitForHangUpAsync() => _hungUp.Task.WaitAsync(TimeSpan.FromSeconds(10));

        private async Task ServeAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    await ConverseAsync(client.GetStream());
                    _hungUp.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }

        private async Task ConverseAsync(NetworkStream stream)
        {
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake.test ESMTP");
            var inData = false;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                _lines.Enqueue(line);
                if (inData)
                {
                    if (line == ".")
                    {
                        inData = false;
                        await writer.WriteLineAsync("250 2.0.0 queued");
                    }
                    continue;
                }
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var reply = verb switch
                {
                    "EHLO" => "250-fake.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME",
                    "HELO" or "MAIL" or "RCPT" or "RSET" or "NOOP" => "250 OK",
                    "AUTH" => "235 2.7.0 accepted",
                    "DATA" => "354 go ahead",
                    "QUIT" => "221 bye",
                    _ => "502 not implemented",
                };
                inData = verb == "DATA";
                await writer.WriteLineAsync(reply);
                if (verb == "QUIT")
                {
                    return;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _serving;
            _stop.Dispose();
        }
    }
}
