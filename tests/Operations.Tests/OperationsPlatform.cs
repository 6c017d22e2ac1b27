namespace AuthPlatform.Operations.Tests;

/// <summary>The platform Operations.Tests runs against: with the Aspire dashboard, as ./run.sh starts it, and the per-client limits lifted.</summary>
public sealed class OperationsPlatform : PlatformFixture
{
    protected override bool WithDashboard => true;

    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; } = LiftedPerClientLimits;
}
