// One platform for the whole assembly; the tests share its sign-in throttles, so they run one at a time.
[assembly: AssemblyFixture(typeof(PlatformFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AuthPlatform.Cli.Tests
{
    internal static class PlatformSettings
    {
        // The tests sign up and sign in far more often than one person would: lift the gateway's per-IP limits here
        // (Gateway.Tests checks them at their defaults).
#pragma warning disable CA2255 // a test assembly is the one place a module initializer belongs
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Apply() => PlatformFixture.ExtraEnvironment = new Dictionary<string, string?>
        {
            ["Gateway__RateLimits__SignUpPerMinute"] = "100000",
            ["Gateway__RateLimits__SignInPerMinute"] = "100000",
            ["Gateway__RateLimits__ResendPerMinute"] = "100000",
            ["Gateway__RateLimits__PasswordResetPerMinute"] = "100000",
            ["Gateway__RateLimits__MfaPerMinute"] = "100000",
            ["Sms__PerAddressLimit"] = "100000",
            ["Sms__PerPrefixLimit"] = "100000",
        };
    }
}
