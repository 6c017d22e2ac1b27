// One platform for the whole assembly; tests stop and restart parts of it, so they run one at a time.
[assembly: AssemblyFixture(typeof(PlatformFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AuthPlatform.Account.Tests;

internal static class PlatformSettings
{
#pragma warning disable CA2255 // a test assembly is the one place a module initializer belongs
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Apply() => PlatformFixture.ExtraEnvironment = new Dictionary<string, string?>(PlatformFixture.LiftedPerClientLimits)
    {
        // SensitiveChangeTests waits this out instead of 10 minutes.
        ["RecentSignIn__MaxAge"] = "00:00:10",
        // DataPurgeTests waits for a pass instead of an hour.
        ["DataPurge__Interval"] = "00:00:03",
        // Short enough that a test can get a second reset link; the cooldown itself is tested with it too.
        ["Verification__PasswordResetCooldown"] = PasswordResetCooldown,
    };

    internal const string PasswordResetCooldown = "00:00:03";
}
