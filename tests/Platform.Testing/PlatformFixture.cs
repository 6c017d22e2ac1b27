using AuthPlatform.Launcher;
using Xunit;

namespace AuthPlatform.Testing;

/// <summary>
/// The whole platform for one test assembly: real PostgreSQL, Redis, RabbitMQ and MailDev processes on free
/// loopback ports, every service from its built binary (MFA as two replicas) and the gateway in front.
/// Started once per test run of the assembly and torn down at its end.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "authplatform-tests", Guid.NewGuid().ToString("N")[..12]);

    public LocalServers Servers { get; private set; } = null!;

    public ServiceFleet Fleet { get; private set; } = null!;

    /// <summary>A client of the gateway, the only public entry point.</summary>
    public HttpClient Gateway { get; private set; } = null!;

    public string RepositoryRoot { get; } = ArtifactPaths.RepositoryRoot();

    public string LogDirectory { get; private set; } = null!;

    /// <summary>The key-encryption certificate the services were given (made under the run's data folder).</summary>
    public LocalKeyEncryption KeyEncryption { get; private set; } = null!;

    /// <summary>The SMTP sink's inbox: the emails the platform actually sent.</summary>
    public Mailbox Mailbox { get; private set; } = null!;

    /// <summary>A fake Twilio Messages API (Twilio__BaseUrl points at it): the text messages the platform sent.</summary>
    public FakeTwilio Twilio { get; private set; } = null!;

    /// <summary>A fresh, unique address on a reserved test domain.</summary>
    public static string NewEmail(string hint = "user") => $"{hint}-{Guid.NewGuid().ToString("N")[..10]}@example.test";

    /// <summary>
    /// The per-client limits lifted: tests sign up, sign in and text from one address far more often than one person
    /// would. Gateway.Tests and Verification.Tests check the limits at their defaults.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> LiftedPerClientLimits { get; } = new Dictionary<string, string?>
    {
        ["Gateway__RateLimits__SignUpPerMinute"] = "100000",
        ["Gateway__RateLimits__SignInPerMinute"] = "100000",
        ["Gateway__RateLimits__ResendPerMinute"] = "100000",
        ["Gateway__RateLimits__PasswordResetPerMinute"] = "100000",
        ["Gateway__RateLimits__MfaPerMinute"] = "100000",
        ["Gateway__RateLimits__RefreshPerMinute"] = "100000",
        ["Gateway__RateLimits__MfaStepPerMinute"] = "100000",
        ["Gateway__RateLimits__SmsResendPerMinute"] = "100000",
        ["Gateway__RateLimits__AccessKeyTokenPerMinute"] = "100000",
        // Every test texts from 127.0.0.1 and numbers close to each other.
        ["Sms__PerAddressLimit"] = "100000",
        ["Sms__PerPrefixLimit"] = "100000",
    };

    /// <summary>Settings a test assembly wants every service to see (short TTLs and the like).</summary>
    public static IReadOnlyDictionary<string, string?> ExtraEnvironment { get; set; } = new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        // Logs outlive the run so a failure in CI can be read afterwards.
        var assembly = AppDomain.CurrentDomain.FriendlyName;
        LogDirectory = Path.Combine(RepositoryRoot, "artifacts", "test-logs", assembly);
        if (Directory.Exists(LogDirectory))
        {
            Directory.Delete(LogDirectory, recursive: true);
        }

        Servers = new LocalServers(RepositoryRoot, _dataDirectory, ServerPorts.AnyFree(), durable: false);
        Twilio = await new FakeTwilio().StartAsync();
        var environment = new Dictionary<string, string?>(Twilio.Environment) { ["Sms__AllowedRegions"] = "GB,US,DE" };
        foreach (var (key, value) in ExtraEnvironment)
        {
            environment[key] = value;
        }
        KeyEncryption = LocalKeyEncryption.Ensure(Path.Combine(_dataDirectory, "keys"));
        Fleet = new ServiceFleet(new FleetOptions(RepositoryRoot, LogDirectory, Ports.Free(), Ports.Free, 2, environment, KeyEncryption),
            Servers.ConnectionStrings, Servers.RabbitMq.ConnectionStringFor);
        try
        {
            await Servers.StartAsync();
            await Fleet.StartAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop what did start, or it outlives the run.
            await DisposeAsync();
            throw;
        }
        Gateway = new HttpClient { BaseAddress = Fleet.GatewayAddress, Timeout = TimeSpan.FromSeconds(30) };
        Mailbox = new Mailbox(Servers.Smtp.WebUrl);
    }

    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        if (Fleet is not null)
        {
            await Fleet.DisposeAsync();
        }
        if (Servers is not null)
        {
            await Servers.DisposeAsync();
        }
        if (Twilio is not null)
        {
            await Twilio.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds, or fails with <paramref name="what"/>.</summary>
    public static async Task EventuallyAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
            await Task.Delay(250);
        }
    }
}
