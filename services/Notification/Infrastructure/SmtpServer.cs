using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthPlatform.Notification.Infrastructure;

/// <summary>Where mail goes: ConnectionStrings__smtp = smtp://[user:pass@]host:port (smtps:// for implicit TLS).</summary>
public sealed record SmtpServer(string Host, int Port, bool ImplicitTls, string? UserName, string? Password)
{
    /// <summary>
    /// TLS is required unless the server is on this machine and we send no credentials (MailDev in development):
    /// anywhere else a stripped STARTTLS would expose the password or the mail (ASVS 9.2.1).
    /// </summary>
    public bool RequiresTls => UserName is not null || !IsLoopback(Host);

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    public static SmtpServer Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "smtps"))
        {
            throw new InvalidOperationException("ConnectionStrings__smtp must look like smtp://[user:pass@]host:port or smtps://….");
        }
        var implicitTls = uri.Scheme == "smtps";
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (implicitTls ? 465 : 25) : uri.Port;
        string? user = null, password = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        return new SmtpServer(uri.Host, port, implicitTls, user, password);
    }
}

public static class SmtpServerExtensions
{
    public static IHostApplicationBuilder AddSmtpServer(this IHostApplicationBuilder builder, string connectionName)
    {
        var server = SmtpServer.Parse(builder.Configuration.RequireConnectionString(connectionName));
        builder.Services.AddSingleton(server);
        // Readiness is a TCP connect, not a full SMTP handshake: probes every second would spam the server's logs.
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName, _ => new ServerConnections.TcpReachable(server.Host, server.Port, "SMTP server"),
            HealthStatus.Unhealthy, ["ready", "smtp"], TimeSpan.FromSeconds(3)));
        return builder;
    }
}
