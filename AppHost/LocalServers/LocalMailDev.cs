using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthPlatform.AppHost.LocalServers;

/// <summary>MailDev as an executable resource: a real SMTP server that keeps every message, with a web UI and a REST API (/email).</summary>
public static class LocalMailDev
{
    public static IResourceBuilder<ExecutableResource> AddLocalMailDev(this IDistributedApplicationBuilder builder, string name,
        string repositoryRoot, string dataDirectory, int smtpPort, int webPort)
    {
        var maildev = ServerBinary.Require("MailDev", "npm ci --prefix tools/smtp-sink",
            Path.Combine(repositoryRoot, "tools", "smtp-sink", "node_modules", "maildev", "bin", "maildev"));
        var node = ServerBinary.Require("Node.js", "apt-get install nodejs", "/usr/bin/node", "/usr/local/bin/node");
        Directory.CreateDirectory(dataDirectory);
        var healthCheck = name + "-listening";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
            await Ports.AcceptsAsync(smtpPort, cancellationToken) && await Ports.AcceptsAsync(webPort, cancellationToken)
                ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        return builder.AddExecutable(name, node, dataDirectory,
                maildev, "--smtp", smtpPort.ToString(), "--web", webPort.ToString(), "--ip", "127.0.0.1", "--mail-directory", dataDirectory)
            .WithHealthCheck(healthCheck)
            .WithUrl(new Uri($"http://localhost:{webPort}").ToString(), "Mail UI")
            .WithIconName("Mail");
    }
}
