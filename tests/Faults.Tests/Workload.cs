using AuthPlatform.Bench;
using AuthPlatform.Bench.Flows;

namespace AuthPlatform.Faults.Tests;

/// <summary>
/// The load every fault scenario runs, made once per platform (its accounts are the expensive part): sign-ins with
/// TOTP, refreshes and authenticated reads from the bench's flows, and optionally a stream of emails (sign-ups) and
/// texts (phone enrolments) whose deliveries a scenario counts.
/// </summary>
public sealed class Workload
{
    private static readonly SemaphoreSlim Making = new(1, 1);
    private static Workload? s_made;

    private Workload(BenchContext context) => Context = context;

    public BenchContext Context { get; }

    public SignInTotpFlow SignIns { get; } = new();

    public RefreshFlow Refreshes { get; } = new();

    public AuthenticatedReadFlow ReadMe { get; } = new("read-me", "api/accounts/me");

    public AuthenticatedReadFlow ReadMfa { get; } = new("read-mfa", "api/mfa");

    public SignUpMessagesFlow SignUps { get; } = new();

    public SmsMessagesFlow Texts { get; } = new();

    public static async Task<Workload> ForAsync(FaultsPlatform platform)
    {
        await Making.WaitAsync();
        try
        {
            return s_made ??= await CreateAsync(platform);
        }
        finally
        {
            Making.Release();
        }
    }

    private static async Task<Workload> CreateAsync(FaultsPlatform platform)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var options = new BenchOptions(platform.Fleet.GatewayAddress, new Uri(platform.Servers.Smtp.WebUrl + "/"), [1],
            TimeSpan.Zero, TimeSpan.Zero, Accounts: null, Prefetch: null);
        var workload = new Workload(new BenchContext(options, http, TextWriter.Null));
        BenchContext With(int accounts) => workload.Context with { Options = options with { Accounts = accounts } };
        var ct = TestContext.Current.CancellationToken;
        // Each TOTP account signs in at most once per 30-second step: 24 of them sustain the pace below.
        await workload.SignIns.SetUpAsync(With(24), ct);
        await workload.Refreshes.SetUpAsync(With(RefreshWorkers), ct);
        await workload.ReadMe.SetUpAsync(With(4), ct);
        await workload.ReadMfa.SetUpAsync(With(4), ct);
        await workload.Texts.SetUpAsync(With(3), ct);
        return workload;
    }

    private const int RefreshWorkers = 2;

    /// <summary>
    /// About 50 requests a second: a TOTP sign-in every 1.5 s (two password hashes' worth of CPU a second is what
    /// two cores can spare), 10 refreshes and 40 reads a second; with <paramref name="messages"/>, a sign-up every
    /// 0.7 s and a phone enrolment every second too.
    /// </summary>
    public MixedLoad Start(bool messages = false)
    {
        List<LoadStream> streams =
        [
            new(SignIns, 1, TimeSpan.FromSeconds(1.5)),
            new(Refreshes, RefreshWorkers, TimeSpan.FromMilliseconds(200)),
            new(ReadMe, 2, TimeSpan.FromMilliseconds(100)),
            new(ReadMfa, 2, TimeSpan.FromMilliseconds(100)),
        ];
        if (messages)
        {
            streams.Add(new(SignUps, 1, TimeSpan.FromMilliseconds(700)));
            streams.Add(new(Texts, 1, TimeSpan.FromSeconds(1)));
        }
        SignUps.TakeAccepted();
        Texts.TakeAccepted();
        var load = new MixedLoad(Context, streams);
        load.Start();
        return load;
    }
}
