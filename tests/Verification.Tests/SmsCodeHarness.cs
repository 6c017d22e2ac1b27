using AuthPlatform.Verification.Sms;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace AuthPlatform.Verification.Tests;

/// <summary>SmsCodes as verification builds it, over a test class's Redis and an in-memory bus whose published texts a test reads.</summary>
public sealed class SmsCodeHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services =
        new ServiceCollection().AddMetrics().AddSingleton<VerificationMetrics>().AddMassTransitTestHarness().BuildServiceProvider(true);

    private SmsCodeHarness()
    {
    }

    public ITestHarness Bus => _services.GetRequiredService<ITestHarness>();

    public static async Task<SmsCodeHarness> StartAsync()
    {
        var harness = new SmsCodeHarness();
        await harness.Bus.Start();
        return harness;
    }

    public SmsCodes Codes(IConnectionMultiplexer redis, SmsCodeOptions options, TimeProvider clock) =>
        new(redis, Bus.Bus, options, clock, _services.GetRequiredService<VerificationMetrics>(), NullLogger<SmsCodes>.Instance);

    /// <summary>A UK-mobile-shaped number with a prefix of its own (the counters live in a Redis the classes share).</summary>
    public static string NewNumber() => "+4479" + Random.Shared.Next(10_000_000, 99_999_999).ToString("D8");

    public static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
