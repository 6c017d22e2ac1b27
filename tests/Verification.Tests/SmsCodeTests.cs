using AuthPlatform.Contracts;
using AuthPlatform.Launcher;
using AuthPlatform.Launcher.Servers;
using AuthPlatform.Verification.Sms;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AuthPlatform.Verification.Tests;

/// <summary>A private, real Redis for these tests.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "authplatform-verification-tests-" + Guid.NewGuid().ToString("N")[..8]);
    private RedisServer _server = null!;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _server = new RedisServer(_directory, _directory, Ports.Free(), persistent: false);
        await _server.StartAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        Redis?.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class SmsCodeTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-23T10:00:00Z"));
    private ServiceProvider _services = null!;
    private ITestHarness _bus = null!;

    public async ValueTask InitializeAsync()
    {
        _services = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
        _bus = _services.GetRequiredService<ITestHarness>();
        await _bus.Start();
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private SmsCodes Codes(SmsCodeOptions? options = null) =>
        new(redis.Redis, _bus.Bus, options ?? new SmsCodeOptions(), _clock, NullLogger<SmsCodes>.Instance);

    private async Task<string> SentCodeAsync(int index = 0)
    {
        await _bus.Published.Any<SendSmsCode>();
        return _bus.Published.Select<SendSmsCode>().ElementAt(index).Context.Message.Code;
    }

    [Fact]
    public async Task A_code_is_accepted_at_179_seconds_and_refused_at_181_and_Redis_keeps_it_exactly_180_seconds()
    {
        var codes = Codes();
        var early = Guid.NewGuid();
        var late = Guid.NewGuid();
        (await codes.SendAsync(SmsPurpose.SignIn, early, "+447911123456", "10.0.0.1", default)).Outcome.ShouldBe(SendOutcome.Sent);
        (await codes.SendAsync(SmsPurpose.SignIn, late, "+447911123457", "10.0.0.1", default)).Outcome.ShouldBe(SendOutcome.Sent);
        var earlyCode = await SentCodeAsync(0);
        var lateCode = await SentCodeAsync(1);

        var ttl = await redis.Redis.GetDatabase().KeyTimeToLiveAsync(SmsCodes.CodeKey(SmsPurpose.SignIn, early));
        ttl!.Value.ShouldBeInRange(TimeSpan.FromSeconds(179), TimeSpan.FromSeconds(180));
        (await redis.Redis.GetDatabase().HashGetAllAsync(SmsCodes.CodeKey(SmsPurpose.SignIn, early)))
            .ShouldNotContain(entry => entry.Value.ToString().Contains(earlyCode), "only a salted hash is stored");

        _clock.Advance(TimeSpan.FromSeconds(179));
        (await codes.VerifyAsync(SmsPurpose.SignIn, early, "+447911123456", earlyCode)).ShouldBeTrue();
        _clock.Advance(TimeSpan.FromSeconds(2));
        (await codes.VerifyAsync(SmsPurpose.SignIn, late, "+447911123457", lateCode)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_code_works_once_for_its_purpose_account_and_number_and_dies_after_five_wrong_tries()
    {
        var codes = Codes();
        var account = Guid.NewGuid();
        await codes.SendAsync(SmsPurpose.PhoneEnroll, account, "+447911123458", null, default);
        var code = await SentCodeAsync();
        var wrong = ((int.Parse(code) + 1) % 1_000_000).ToString("D6");

        (await codes.VerifyAsync(SmsPurpose.SignIn, account, "+447911123458", code)).ShouldBeFalse("other purpose");
        (await codes.VerifyAsync(SmsPurpose.PhoneEnroll, Guid.NewGuid(), "+447911123458", code)).ShouldBeFalse("other account");
        (await codes.VerifyAsync(SmsPurpose.PhoneEnroll, account, "+447911000000", code)).ShouldBeFalse("other number");
        // That was one attempt (the number mismatch); four wrong codes make five; the sixth attempt finds it dead.
        for (var i = 0; i < 4; i++)
        {
            (await codes.VerifyAsync(SmsPurpose.PhoneEnroll, account, "+447911123458", wrong)).ShouldBeFalse();
        }
        (await codes.VerifyAsync(SmsPurpose.PhoneEnroll, account, "+447911123458", code)).ShouldBeFalse("five attempts used up");
    }

    [Fact]
    public async Task A_right_code_is_spent_by_exactly_one_of_many_concurrent_checks()
    {
        var codes = Codes(new SmsCodeOptions { MaxAttempts = 100 });
        var account = Guid.NewGuid();
        await codes.SendAsync(SmsPurpose.SignIn, account, "+447911123459", null, default);
        var code = await SentCodeAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => codes.VerifyAsync(SmsPurpose.SignIn, account, "+447911123459", code)));

        results.Count(ok => ok).ShouldBe(1);
    }

    [Fact]
    public async Task Resends_wait_30_seconds_and_pumping_limits_stop_sends()
    {
        var codes = Codes(new SmsCodeOptions { ResendCooldown = TimeSpan.FromMilliseconds(300), PerNumberLimit = 2, GlobalDailyCap = 1_000 });
        var account = Guid.NewGuid();

        (await codes.SendAsync(SmsPurpose.SignIn, account, "+447911123460", null, default)).Outcome.ShouldBe(SendOutcome.Sent);
        var cooldown = await codes.SendAsync(SmsPurpose.SignIn, account, "+447911123460", null, default);
        cooldown.Outcome.ShouldBe(SendOutcome.Cooldown);
        cooldown.RetryAfter!.Value.ShouldBeGreaterThan(TimeSpan.Zero);

        await Task.Delay(400);
        (await codes.SendAsync(SmsPurpose.SignIn, account, "+447911123460", null, default)).Outcome.ShouldBe(SendOutcome.Sent);
        await Task.Delay(400);
        var limited = await codes.SendAsync(SmsPurpose.SignIn, account, "+447911123460", null, default);
        limited.Outcome.ShouldBe(SendOutcome.Limited);
        limited.Reason.ShouldBe("per-number limit");
    }

    [Fact]
    public async Task The_global_daily_cap_stops_every_send()
    {
        var codes = Codes(new SmsCodeOptions { GlobalDailyCap = 0 });

        var result = await codes.SendAsync(SmsPurpose.SignIn, Guid.NewGuid(), "+447911123461", null, default);

        result.Outcome.ShouldBe(SendOutcome.Limited);
        result.Reason.ShouldBe("global daily cap");
    }
}
