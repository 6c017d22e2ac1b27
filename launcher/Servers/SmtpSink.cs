namespace AuthPlatform.Launcher.Servers;

/// <summary>MailDev: a real SMTP server that keeps every message, with a web UI and a REST API (/email).</summary>
public sealed class SmtpSink(string repositoryRoot, string dataDirectory, string logDirectory, int smtpPort, int webPort) : IAsyncDisposable
{
    private ChildProcess? _process;

    public string ConnectionString => $"smtp://127.0.0.1:{smtpPort}";

    public string WebUrl => $"http://localhost:{webPort}";

    public int SmtpPort => smtpPort;

    public async Task StartAsync()
    {
        var maildev = ServerBinary.Require("MailDev", "npm ci --prefix tools/smtp-sink",
            Path.Combine(repositoryRoot, "tools", "smtp-sink", "node_modules", "maildev", "bin", "maildev"));
        var node = ServerBinary.Require("Node.js", "apt-get install nodejs", "/usr/bin/node", "/usr/local/bin/node");
        Directory.CreateDirectory(dataDirectory);
        _process = ChildProcess.Start("maildev", node,
            [maildev, "--smtp", smtpPort.ToString(), "--web", webPort.ToString(), "--ip", "127.0.0.1", "--mail-directory", dataDirectory],
            new Dictionary<string, string?>(), Path.Combine(logDirectory, "maildev.log"));
        await Ports.WaitUntilAsync("MailDev", async () => await Ports.AcceptsAsync(smtpPort) && await Ports.AcceptsAsync(webPort),
            TimeSpan.FromSeconds(30), _process);
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
