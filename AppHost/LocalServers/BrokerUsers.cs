using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuthPlatform.AppHost.LocalServers;

/// <summary>
/// One RabbitMQ user per service, loaded as broker definitions at boot. Each may write only to the exchanges of the
/// events it publishes (MassTransit names them after the message type, <c>AuthPlatform.Contracts:EmailVerified</c>)
/// and to its own receive endpoints (exchange and queue named after the endpoint, plus their <c>_error</c>,
/// <c>_skipped</c> and postponement <c>_wait-…</c> companions), its temporary bus endpoint and MassTransit's fault
/// exchanges. So a compromised mfa cannot forge <c>EmailVerified</c>, nor drop a message straight into account's
/// <c>email-verified</c> queue.
/// Reading and declaring stay open: consuming binds to other services' exchanges, and harms no one.
/// </summary>
public sealed class BrokerUsers
{
    /// <summary>The events (Contracts message types) each service publishes, and the receive endpoints it consumes from.</summary>
    public static readonly IReadOnlyDictionary<string, (string[] Publishes, string[] Endpoints)> Services =
        new Dictionary<string, (string[], string[])>
        {
            ["account"] = (
                ["AccountRegistered", "EmailVerificationRequested", "SignUpAttemptedOnExistingAccount", "PasswordResetRequestReceived",
                    "PasswordResetRequested", "PasswordChanged", "AccessKeyCreated", "SignedInFromNewDevice", "PasskeySignCountRegressed"],
                ["email-verified", "email-verification-resend-requested", "end-other-sessions", "forget-remembered-devices",
                    "password-reset-request-received"]),
            ["verification"] = (
                ["EmailVerified", "EmailVerificationResendRequested", "SendEmail", "SendSmsCode"],
                ["email-verification-requested", "password-reset-requested"]),
            ["mfa"] = (
                ["MfaEnabled", "MfaDisabled", "RecoveryCodeUsed", "RecoveryCodesRegenerated", "MfaFailuresDetected", "TotpReplayRejected",
                    "PasskeyAdded", "PasskeyRemoved"],
                []),
            ["notification"] = (
                [],
                ["send-email", "password-changed", "sign-up-attempted-on-existing-account", "mfa-enabled", "mfa-disabled",
                    "access-key-created", "recovery-code-used", "recovery-codes-regenerated", "mfa-failures-detected",
                    "totp-replay-rejected", "send-sms-code", "signed-in-from-new-device", "passkey-added", "passkey-removed",
                    "passkey-sign-count-regressed"]),
        };

    public const string ContractsNamespace = "AuthPlatform.Contracts";

    private readonly Dictionary<string, string> _passwords =
        Services.Keys.ToDictionary(name => name, _ => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant());

    public IEnumerable<string> Names => _passwords.Keys;

    public string PasswordOf(string service) => _passwords[service];

    /// <summary>What a service may write to, as the RabbitMQ permission regex.</summary>
    public static string WritePattern(string service)
    {
        var (publishes, endpoints) = Services[service];
        var alternatives = new List<string>();
        if (publishes.Length > 0)
        {
            alternatives.Add($"{Regex.Escape(ContractsNamespace)}:({string.Join('|', publishes)})");
        }
        if (endpoints.Length > 0)
        {
            alternatives.Add($"({string.Join('|', endpoints.Select(Regex.Escape))})(_error|_skipped|_wait-[0-9]+m?s)?");
        }
        // MassTransit's temporary bus endpoint: <host>_<process>_bus_<id>, deleted when the service stops.
        alternatives.Add("[^:]*_bus_[A-Za-z0-9]+");
        // Fault<T> events a failing consumer publishes (MassTransit:Fault, MassTransit:Fault--<type>--): nothing here
        // consumes them, so they can trigger nothing.
        alternatives.Add("MassTransit:Fault(--.*--)?");
        if (service == "notification")
        {
            // Its holding queues dead-letter through the default exchange, which RabbitMQ checks at declaration.
            // Known gap: the default exchange routes to any queue by name; dead-lettering to the endpoint's own
            // exchange instead (RabbitMqWaitingRoom) would let this go.
            alternatives.Add("amq\\.default");
        }
        return $"^({string.Join('|', alternatives)})$";
    }

    /// <summary>Broker definitions: the vhost, guest (loopback-only admin for people and tests) and the service users.</summary>
    public string Definitions()
    {
        var users = new List<object> { User("guest", "guest", "administrator") };
        var permissions = new List<object> { Permission("guest", ".*") };
        foreach (var (name, password) in _passwords)
        {
            users.Add(User(name, password, ""));
            permissions.Add(Permission(name, WritePattern(name)));
        }
        return JsonSerializer.Serialize(new { users, vhosts = new[] { new { name = "/" } }, permissions });
    }

    private static object User(string name, string password, string tags) =>
        new Dictionary<string, object> { ["name"] = name, ["password_hash"] = PasswordHash(password), ["hashing_algorithm"] = "rabbit_password_hashing_sha256", ["tags"] = tags };

    private static object Permission(string user, string write) =>
        new Dictionary<string, string> { ["user"] = user, ["vhost"] = "/", ["configure"] = ".*", ["write"] = write, ["read"] = ".*" };

    /// <summary>RabbitMQ's salted SHA-256: base64(salt ‖ SHA-256(salt ‖ password)) with a 4-byte salt.</summary>
    private static string PasswordHash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(4);
        var hash = SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(password)]);
        return Convert.ToBase64String([.. salt, .. hash]);
    }
}
