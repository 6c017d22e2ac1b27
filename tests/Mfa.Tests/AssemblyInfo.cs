// One platform for the whole assembly; tests stop and restart parts of it, so they run one at a time.
[assembly: AssemblyFixture(typeof(PlatformFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AuthPlatform.Mfa.Tests;

internal static class PlatformSettings
{
    /// <summary>
    /// Not verification's default (180 s), so SmsFlowTests shows that mfa's answer and the text relay the setting.
    /// No test here waits for a code to expire.
    /// </summary>
    internal static readonly TimeSpan SmsCodeLifetime = TimeSpan.FromMinutes(4);

#pragma warning disable CA2255 // a test assembly is the one place a module initializer belongs
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Apply() => PlatformFixture.ExtraEnvironment = new Dictionary<string, string?>(PlatformFixture.LiftedPerClientLimits)
    {
        // ReplayAndRaceTests takes dozens of password steps for one account to race their second steps.
        ["SignIn__MaxSuccessesPerAccountPerMinute"] = "1000",
        ["Sms__Lifetime"] = SmsCodeLifetime.ToString("c"),
    };
}
