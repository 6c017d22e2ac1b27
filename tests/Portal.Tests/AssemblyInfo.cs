// One platform and one Chromium for the whole assembly; each test gets a fresh browser context (its own cookies).
[assembly: AssemblyFixture(typeof(PlatformFixture))]
[assembly: AssemblyFixture(typeof(AuthPlatform.Portal.Tests.BrowserFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AuthPlatform.Portal.Tests
{
    internal static class PlatformSettings
    {
#pragma warning disable CA2255 // a test assembly is the one place a module initializer belongs
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Apply() => PlatformFixture.ExtraEnvironment = new Dictionary<string, string?>(PlatformFixture.LiftedPerClientLimits)
        {
            // A second reset link within a test instead of a minute later.
            ["Verification__PasswordResetCooldown"] = "00:00:03",
        }.Concat(OidcTestClient.Registration).ToDictionary();
    }
}
