using System.Globalization;
using System.Net;

namespace AuthPlatform.Account.Tests;

/// <summary>An event that arrives while a server its consumer needs is down is handled once it is back, not dropped.</summary>
public sealed class ConsumerRetryTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task An_email_verified_while_PostgreSQL_restarts_still_makes_the_account()
    {
        var email = PlatformFixture.NewEmail("verified-in-outage");
        (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await platform.Mailbox.WaitForAsync(email, "Verify your email");

        await platform.Servers.Postgres.StopAsync();
        try
        {
            // Verification keeps its tokens in Redis: the button works, and account hears of it over the bus
            // while it cannot write the account.
            (await _accounts.PressVerifyInEmailAsync(email)).StatusCode.ShouldBe(HttpStatusCode.OK);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await platform.Servers.Postgres.StartAsync();
        }

        // A sign-in answers 403 while the account does not exist yet; the event's retries make it.
        await PlatformFixture.EventuallyAsync($"{email} can sign in after PostgreSQL is back", async () =>
        {
            using var signIn = await _accounts.SignInAsync(email);
            return signIn.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task A_sign_up_email_that_could_not_be_prepared_while_Redis_was_down_arrives_once_it_is_back()
    {
        var email = PlatformFixture.NewEmail("email-in-outage");
        // The sign-up commits its event to account's outbox while the broker is down ...
        await platform.Servers.RabbitMq.StopAsync();
        try
        {
            (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }
        finally
        {
            // ... and the event reaches verification while Redis, where it keeps the link's token, is down.
            await platform.Servers.Redis.StopAsync();
            await platform.Servers.RabbitMq.StartAsync();
        }
        try
        {
            await PlatformFixture.EventuallyAsync("the outbox published the sign-up and verification took it", async () =>
                await UnpublishedEventsAsync() == 0 && await TakenByItsConsumerAsync("email-verification-requested"),
                TimeSpan.FromSeconds(90));
            await Task.Delay(TimeSpan.FromSeconds(2));
            (await platform.Mailbox.AllToAsync(email)).ShouldBeEmpty("no link can be made without Redis");
        }
        finally
        {
            await platform.Servers.Redis.StartAsync();
        }

        await platform.Mailbox.WaitForAsync(email, "Verify your email", timeout: TimeSpan.FromSeconds(120));
        (await _accounts.PressVerifyInEmailAsync(email)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _accounts.SignInVerifiedAsync(email);
    }

    private async Task<long> UnpublishedEventsAsync() =>
        long.Parse((await _accounts.ReadColumnAsync("accountdb", "SELECT count(*)::text FROM outbox_messages WHERE \"PublishedAt\" IS NULL")).Single(),
            CultureInfo.InvariantCulture);

    /// <summary>A consumer is attached to the queue and nothing waits in it: what was published is in a consumer's hands.</summary>
    private async Task<bool> TakenByItsConsumerAsync(string queue) =>
        await platform.Servers.RabbitMq.QueueAsync(queue) is { ConsumerCount: > 0, MessageCount: 0 };
}
