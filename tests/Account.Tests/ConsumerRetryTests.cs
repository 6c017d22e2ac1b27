using System.Net;

namespace AuthPlatform.Account.Tests;

/// <summary>An event that arrives while the database is down is handled once it is back, not dropped.</summary>
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
}
