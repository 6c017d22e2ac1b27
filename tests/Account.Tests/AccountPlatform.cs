namespace AuthPlatform.Account.Tests;

/// <summary>The platform Account.Tests runs against: the per-client limits lifted, and short waits where tests wait.</summary>
public sealed class AccountPlatform : PlatformFixture
{
    /// <summary>Short enough that a test can get a second reset link; the cooldown itself is tested with it too.</summary>
    public static readonly TimeSpan PasswordResetCooldown = TimeSpan.FromSeconds(3);

    protected override int MfaReplicas => 1;

    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>(LiftedPerClientLimits)
    {
        // A flood of sign-ins fills the hashing queue (PasswordHashingTests) on any number of cores: one hash at a
        // time and one waiting, each a quarter of the production 210,000 iterations (the other platforms hash at 1,000).
        // Account.Tests runs one test at a time, so nothing else meets the narrow gate.
        ["PasswordHashing__Iterations"] = "50000",
        ["PasswordHashing__MaxConcurrent"] = "1",
        ["PasswordHashing__MaxQueued"] = "1",
        // SensitiveChangeTests waits this out instead of 10 minutes.
        ["RecentSignIn__MaxAge"] = "00:00:10",
        // DataPurgeTests waits for a pass instead of an hour.
        ["DataPurge__Interval"] = "00:00:03",
        ["Verification__PasswordResetCooldown"] = PasswordResetCooldown.ToString("c"),
    };

    /// <summary>
    /// Starts one more account service as Production (https PublicBaseUrl) with <paramref name="settings"/> on top,
    /// which must refuse to start: waits until it exits and returns the end of its log, where it says why.
    /// </summary>
    public async Task<string> RefusedProductionStartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var production = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["PublicBaseUrl"] = "https://auth.example.test",
        };
        foreach (var (key, value) in settings)
        {
            production[key] = value;
        }
        var instance = Fleet.StartAdditional("account", production);
        await EventuallyAsync("the account service refuses to start and exits", () => Task.FromResult(instance.Process.HasExited),
            TimeSpan.FromSeconds(60));
        return instance.Process.LogTail(80);
    }
}
