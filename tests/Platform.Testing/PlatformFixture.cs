using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using AuthPlatform.AppHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace AuthPlatform.Testing;

/// <summary>
/// The whole platform for one test assembly, started through the AppHost (Aspire.Hosting.Testing) exactly as
/// ./run.sh runs it: real PostgreSQL, Redis, RabbitMQ and MailDev as local executable resources on free loopback
/// ports, every service from its built binary (MFA as two replicas unless a fixture says one) and the gateway in
/// front; the dashboard only when a fixture sets <see cref="WithDashboard"/>.
/// Started once per test run of the assembly and torn down at its end. Each test project derives its own fixture
/// (AccountPlatform, MfaPlatform, …) that says which settings its services get, and its tests take that type.
/// </summary>
public abstract class PlatformFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "authplatform-tests", Guid.NewGuid().ToString("N")[..12]);
    private readonly PortBlock _ports = PortBlock.Reserve();
    private ResourceWatch? _watch;

    /// <summary>The running AppHost.</summary>
    public DistributedApplication App { get; private set; } = null!;

    public PlatformLayout Layout { get; private set; } = null!;

    /// <summary>How long the AppHost took until the gateway was healthy.</summary>
    public TimeSpan StartTime { get; private set; }

    public PlatformServerSet Servers { get; private set; } = null!;

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
    protected static IReadOnlyDictionary<string, string?> LiftedPerClientLimits { get; } = new Dictionary<string, string?>
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

    /// <summary>
    /// What this test project sets for every service on top of appsettings.json (short TTLs, lifted limits and the
    /// like), as environment variables (<c>Section__Key</c>).
    /// </summary>
    protected abstract IReadOnlyDictionary<string, string?> ServiceSettings { get; }

    /// <summary>
    /// Start the Aspire dashboard too, as ./run.sh does (Operations.Tests), on loopback ports of the platform's block,
    /// unsecured: its pages and telemetry API (<c>/api/telemetry/*</c>) answer without a login.
    /// </summary>
    protected virtual bool WithDashboard => false;

    /// <summary>
    /// Keep the servers' data as ./run.sh does (PostgreSQL fsync, Redis append-only file), so restarting a server loses
    /// nothing; off by default, which is faster and enough while no server restarts.
    /// </summary>
    protected virtual bool DurableData => false;

    /// <summary>
    /// MFA replicas behind the gateway: two, as ./run.sh runs it, where a test needs the second one (races over both,
    /// a replica's death, the dashboard's resources); one elsewhere, which saves the suite a process per platform.
    /// </summary>
    protected virtual int MfaReplicas => 2;

    /// <summary>The dashboard's pages and telemetry API, when <see cref="WithDashboard"/>.</summary>
    public Uri? DashboardAddress { get; private set; }

    public virtual async ValueTask InitializeAsync()
    {
        // Logs outlive the run so a failure in CI can be read afterwards.
        var assembly = AppDomain.CurrentDomain.FriendlyName;
        LogDirectory = Path.Combine(RepositoryRoot, "artifacts", "test-logs", assembly);
        if (Directory.Exists(LogDirectory))
        {
            Directory.Delete(LogDirectory, recursive: true);
        }
        Directory.CreateDirectory(LogDirectory);

        Twilio = await new FakeTwilio().StartAsync();
        var environment = new Dictionary<string, string?>(Twilio.Environment) { ["Sms__AllowedRegions"] = "GB,US,DE" };
        // The suite signs up and in thousands of times on two cores; at the production work factor hashing was the
        // largest share of its CPU. A fixture that tests hashing sets its own (AccountPlatform).
        environment["PasswordHashing__Iterations"] = "1000";
        // A test platform lives minutes: profiling the JIT's first tier for later recompiles costs more than it earns
        // (a platform start and one test: 38–41 CPU-seconds without it, 46 with it).
        environment["DOTNET_TieredPGO"] = "0";
        foreach (var (key, value) in ServiceSettings)
        {
            environment[key] = value;
        }
        string[] arguments =
        [
            "--Platform:Servers=local",
            $"--Platform:DataPath={_dataDirectory}",
            $"--Platform:DurableData={(DurableData ? "true" : "false")}",
            $"--Platform:PortBase={_ports.Base}",
            $"--Platform:GatewayPort={_ports.Last}",
            $"--Platform:MfaReplicas={MfaReplicas}",
            $"--Platform:LogPath={LogDirectory}",
            "--environment=Development",
            // The AppHost's own log stays quiet; each resource's output is in LogDirectory.
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
            "--Logging:LogLevel:AppHost.Resources=None",
            "--Platform:PrintSummary=false",
            .. environment.Where(e => e.Value is not null).Select(e => $"--Platform:ServiceEnvironment:{e.Key}={e.Value}"),
            .. DashboardArguments(),
        ];
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(arguments,
                (options, _) => options.DisableDashboard = !WithDashboard);
            App = await builder.BuildAsync();
            Layout = App.Services.GetRequiredService<PlatformLayout>();
            _watch = new ResourceWatch(App.Services.GetRequiredService<ResourceNotificationService>());
            _watch.Start();
            var commands = App.Services.GetRequiredService<ResourceCommandService>();
            Servers = new PlatformServerSet(Layout, _watch, commands);
            Fleet = new ServiceFleet(Layout, _watch, commands);
            KeyEncryption = Layout.KeyEncryption;
            // The orchestrator's start returns once every resource was launched, i.e. after the servers are ready.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await App.StartAsync(timeout.Token);
            await Task.WhenAll(Layout.Topology.Instances.Select(i => _watch.WaitHealthyAsync(i.ResourceName, timeout.Token)));
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop what did start, or it outlives the run.
            await DisposeAsync();
            throw;
        }
        StartTime = stopwatch.Elapsed;
        await File.WriteAllTextAsync(Path.Combine(LogDirectory, "platform-start.txt"), $"{StartTime.TotalSeconds:0.0} s\n");
        Gateway = new HttpClient { BaseAddress = Fleet.GatewayAddress, Timeout = TimeSpan.FromSeconds(30) };
        Mailbox = new Mailbox(Servers.Smtp.WebUrl);
    }

    public virtual async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        if (Fleet is not null)
        {
            await Fleet.DisposeAsync();
        }
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        if (_watch is not null)
        {
            await _watch.DisposeAsync();
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

    /// <summary>The dashboard below the gateway's port at the top of the block, away from the AppHost's numbering from the bottom.</summary>
    private IEnumerable<string> DashboardArguments()
    {
        if (!WithDashboard)
        {
            yield break;
        }
        DashboardAddress = new Uri($"http://127.0.0.1:{_ports.Last - 1}");
        yield return $"--ASPNETCORE_URLS={DashboardAddress}";
        yield return $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{_ports.Last - 2}";
        yield return $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{_ports.Last - 3}";
        yield return "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true";
        yield return "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true";
        // It warns that the unsecured OTLP endpoint and API are open: on loopback, for a test run, that is the point.
        yield return "--Logging:LogLevel:Aspire.Hosting.Dashboard=Error";
        // Aspire.Hosting.Testing moves proxied endpoints (the dashboard's) to random ports unless told not to.
        yield return "--DcpPublisher:RandomizePorts=false";
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
