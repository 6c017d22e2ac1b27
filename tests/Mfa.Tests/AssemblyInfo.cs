// One platform for the whole assembly; tests stop and restart parts of it, so they run one at a time.
[assembly: AssemblyFixture(typeof(PlatformFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AuthPlatform.Mfa.Tests
{
    internal static class PlatformSettings
    {
        // The tests sign up far more often than one person would: lift the gateway's per-IP sign-up limits here
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
            // Every test texts from 127.0.0.1 and numbers close to each other: lift the per-IP and per-prefix limits.
            ["Sms__PerAddressLimit"] = "100000",
            ["Sms__PerPrefixLimit"] = "100000",
        };
    }
}
