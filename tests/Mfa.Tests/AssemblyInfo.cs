// One platform for the whole assembly; tests stop and restart parts of it, so they run one at a time.
[assembly: AssemblyFixture(typeof(PlatformFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AuthPlatform.Mfa.Tests
{
    internal static class PlatformSettings
    {
#pragma warning disable CA2255 // a test assembly is the one place a module initializer belongs
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Apply() => PlatformFixture.ExtraEnvironment = new Dictionary<string, string?>(PlatformFixture.LiftedPerClientLimits)
        {
            // ReplayAndRaceTests takes dozens of password steps for one account to race their second steps.
            ["SignIn__MaxSuccessesPerAccountPerMinute"] = "1000",
        };
    }
}
