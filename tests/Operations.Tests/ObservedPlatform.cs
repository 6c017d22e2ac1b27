namespace AuthPlatform.Operations.Tests;

/// <summary>
/// The platform through the AppHost with its Aspire dashboard, as ./run.sh runs it: every service exports OTLP to the
/// dashboard, which the tests read back (its telemetry API, and its pages in headless Chromium).
/// </summary>
public sealed class ObservedPlatform : IAsyncLifetime
{
    public OperationsPlatform Platform { get; } = new();

    public DashboardTelemetry Telemetry { get; private set; } = null!;

    public Uri Dashboard => Platform.DashboardAddress!;

    public async ValueTask InitializeAsync()
    {
        await Platform.InitializeAsync();
        Telemetry = new DashboardTelemetry(Dashboard);
    }

    public async ValueTask DisposeAsync()
    {
        Telemetry?.Dispose();
        await Platform.DisposeAsync();
    }
}
