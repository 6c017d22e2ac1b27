namespace AuthPlatform.Cli.Tests;

/// <summary>The platform Cli.Tests runs against: the per-client limits lifted, a short recent-sign-in window.</summary>
public sealed class CliPlatform : PlatformFixture
{
    /// <summary>The account that holds the administrator role (account's Administrators:Emails).</summary>
    public const string AdministratorEmail = "cli-admin@example.test";

    protected override int MfaReplicas => 1;

    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>(LiftedPerClientLimits)
    {
        // The reauthentication test waits this out instead of 10 minutes.
        ["RecentSignIn__MaxAge"] = "00:00:10",
        ["Administrators__Emails__0"] = AdministratorEmail,
    };
}
