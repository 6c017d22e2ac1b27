// One platform for the whole assembly; the tests share its sign-in throttles, so they run one at a time.
[assembly: AssemblyFixture(typeof(PlatformFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AuthPlatform.Cli.Tests;

internal static class PlatformSettings
{
#pragma warning disable CA2255 // a test assembly is the one place a module initializer belongs
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Apply() => PlatformFixture.ExtraEnvironment = new Dictionary<string, string?>(PlatformFixture.LiftedPerClientLimits)
    {
        // The reauthentication test waits this out instead of 10 minutes.
        ["RecentSignIn__MaxAge"] = "00:00:10",
    };
}
