namespace AuthPlatform.ServiceDefaults.Tests;

/// <summary>The platform ServiceDefaults.Tests runs against: every setting at its default, as the services ship.</summary>
public sealed class ServiceDefaultsPlatform : PlatformFixture
{
    protected override int MfaReplicas => 1;

    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>();
}
