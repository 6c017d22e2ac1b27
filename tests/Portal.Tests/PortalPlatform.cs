namespace AuthPlatform.Portal.Tests;

/// <summary>
/// The platform Portal.Tests runs against: the per-client limits lifted, short waits where tests wait, and "Sign in
/// with Google" pointed at a <see cref="FakeGoogle"/> this fixture runs.
/// </summary>
public sealed class PortalPlatform : PlatformFixture, IAsyncDisposable
{
    public PortalPlatform()
    {
        ServiceSettings = new Dictionary<string, string?>(LiftedPerClientLimits)
        {
            // A second reset link within a test instead of a minute later.
            ["Verification__PasswordResetCooldown"] = "00:00:03",
            // A session ended elsewhere ends in the browser at its next page after this (instead of a minute).
            ["Portal__SessionCheckInterval"] = "00:00:02",
        }.Concat(OidcTestClient.Registration).Concat(Google.Environment).ToDictionary();
    }

    /// <summary>The Google the portal's "Sign in with Google" talks to.</summary>
    public FakeGoogle Google { get; } = new FakeGoogle().Start();

    protected override int MfaReplicas => 1;

    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        await Google.DisposeAsync();
    }
}
