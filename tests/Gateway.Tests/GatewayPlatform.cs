namespace AuthPlatform.Gateway.Tests;

/// <summary>The platform Gateway.Tests runs against: every setting at its default, so the rate limits tested are the shipped ones.</summary>
public sealed class GatewayPlatform : PlatformFixture
{
    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>();
}
