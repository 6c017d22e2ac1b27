namespace AuthPlatform.Portal.Tests;

/// <summary>The platform Portal.Tests runs against: the per-client limits lifted, and short waits where tests wait.</summary>
public sealed class PortalPlatform : PlatformFixture
{
    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>(LiftedPerClientLimits)
    {
        // A second reset link within a test instead of a minute later.
        ["Verification__PasswordResetCooldown"] = "00:00:03",
        // A session ended elsewhere ends in the browser at its next page after this (instead of a minute).
        ["Portal__SessionCheckInterval"] = "00:00:02",
    }.Concat(OidcTestClient.Registration).ToDictionary();
}
