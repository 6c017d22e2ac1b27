using System.Net;

namespace AuthPlatform.Account.Tests;

public sealed class OutboxTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task Sign_up_works_while_RabbitMQ_is_down_and_the_email_arrives_once_it_is_back()
    {
        var email = PlatformFixture.NewEmail("outage");
        await platform.Servers.RabbitMq.StopAsync();
        try
        {
            using var signUp = await _accounts.SignUpAsync(email);
            signUp.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            await Task.Delay(2000);
            (await platform.Mailbox.AllToAsync(email)).ShouldBeEmpty();
        }
        finally
        {
            await platform.Servers.RabbitMq.StartAsync();
        }

        // Committed with the account, the event waits in the outbox and goes out after recovery.
        var message = await platform.Mailbox.WaitForAsync(email, "Verify your email", timeout: TimeSpan.FromSeconds(120));
        message.Text.ShouldContain("/verify-email?token=");
        (await _accounts.PressVerifyInEmailAsync(email)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _accounts.SignInVerifiedAsync(email);
    }
}
