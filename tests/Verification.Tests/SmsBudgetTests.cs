using System.Diagnostics.Metrics;
using AuthPlatform.Contracts;
using AuthPlatform.Contracts.Internal;
using AuthPlatform.Verification.Sms;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Verification.Tests;

/// <summary>
/// Budgets per purpose on a real Redis: enrolment has its own, is held to a few numbers per account a day, and stops
/// at 80 % of the global daily cap (with an alert) while sign-in codes go on to the full cap.
/// </summary>
public sealed class SmsBudgetTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    // A day of its own, so the global counter starts at zero whatever else ran against this Redis.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2031, 1, 1, 9, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(3650)));
    private SmsCodeHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await SmsCodeHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private SmsCodes Codes(SmsCodeOptions options) => _harness.Codes(redis.Redis, options, _clock);

    private static string NewNumber() => SmsCodeHarness.NewNumber();

    private static string NewAddress() => SmsCodeHarness.NewAddress();

    private static SmsCodeOptions Roomy() => new() { PerPrefixLimit = 1000, PerAddressLimit = 1000, PerAccountLimit = 1000 };

    [Fact]
    public async Task Near_the_global_cap_enrolment_stops_with_an_alert_and_sign_in_goes_on_to_the_full_cap()
    {
        var options = Roomy();
        options.GlobalDailyCap = 10;
        var codes = Codes(options);
        long alerts = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "authplatform.verification.sms_cap_alerts")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref alerts, value));
        listener.Start();

        for (var i = 0; i < 8; i++)
        {
            (await codes.SendAsync(SmsCodePurpose.PhoneEnroll, Guid.NewGuid(), NewNumber(), NewAddress(), default)).Outcome.ShouldBe(SendOutcome.Sent);
        }
        Interlocked.Read(ref alerts).ShouldBe(1, "reaching 80 % of the cap alerts once");

        var enrolment = await codes.SendAsync(SmsCodePurpose.PhoneEnroll, Guid.NewGuid(), NewNumber(), NewAddress(), default);
        enrolment.Outcome.ShouldBe(SendOutcome.Limited);
        enrolment.Reason.ShouldBe(SmsCodes.EnrolmentCapName);

        (await codes.SendAsync(SmsCodePurpose.SignIn, Guid.NewGuid(), NewNumber(), NewAddress(), default)).Outcome.ShouldBe(SendOutcome.Sent);
        (await codes.SendAsync(SmsCodePurpose.SignIn, Guid.NewGuid(), NewNumber(), NewAddress(), default)).Outcome.ShouldBe(SendOutcome.Sent);
        var pastCap = await codes.SendAsync(SmsCodePurpose.SignIn, Guid.NewGuid(), NewNumber(), NewAddress(), default);
        pastCap.Outcome.ShouldBe(SendOutcome.Limited);
        pastCap.Reason.ShouldBe(SmsCodes.GlobalCapName);
        Interlocked.Read(ref alerts).ShouldBe(1);
    }

    [Fact]
    public async Task Enrolments_to_a_number_do_not_spend_its_sign_in_budget()
    {
        var codes = Codes(Roomy());
        var number = NewNumber();
        var owner = Guid.NewGuid();

        for (var i = 0; i < 3; i++)
        {
            (await codes.SendAsync(SmsCodePurpose.PhoneEnroll, Guid.NewGuid(), number, NewAddress(), default)).Outcome.ShouldBe(SendOutcome.Sent);
        }
        var fourthEnrolment = await codes.SendAsync(SmsCodePurpose.PhoneEnroll, Guid.NewGuid(), number, NewAddress(), default);

        fourthEnrolment.Reason.ShouldBe("per-number limit");
        (await codes.SendAsync(SmsCodePurpose.SignIn, owner, number, NewAddress(), default)).Outcome.ShouldBe(SendOutcome.Sent);
    }

    [Fact]
    public async Task One_account_enrols_at_most_three_numbers_a_day_but_may_come_back_to_one_of_them()
    {
        var options = Roomy();
        options.ResendCooldown = TimeSpan.FromMilliseconds(1);
        var codes = Codes(options);
        var account = Guid.NewGuid();
        var numbers = Enumerable.Range(0, 3).Select(_ => NewNumber()).ToArray();
        foreach (var number in numbers)
        {
            (await codes.SendAsync(SmsCodePurpose.PhoneEnroll, account, number, NewAddress(), default)).Outcome.ShouldBe(SendOutcome.Sent);
        }

        var fourth = await codes.SendAsync(SmsCodePurpose.PhoneEnroll, account, NewNumber(), NewAddress(), default);
        await Task.Delay(5);
        var again = await codes.SendAsync(SmsCodePurpose.PhoneEnroll, account, numbers[0], NewAddress(), default);
        _clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = await codes.SendAsync(SmsCodePurpose.PhoneEnroll, account, NewNumber(), NewAddress(), default);

        fourth.Outcome.ShouldBe(SendOutcome.Limited);
        fourth.Reason.ShouldBe(SmsCodes.DistinctNumbersName);
        again.Outcome.ShouldBe(SendOutcome.Sent);
        tomorrow.Outcome.ShouldBe(SendOutcome.Sent);
        _harness.Bus.Published.Select<SendSmsCode>().Count().ShouldBe(5);
    }
}
