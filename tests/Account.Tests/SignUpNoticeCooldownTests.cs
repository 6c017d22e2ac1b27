using System.Net;

namespace AuthPlatform.Account.Tests;

// Sign-up on an existing address emails the owner; a loop of such sign-ups must not become a mail bomb aimed at
// them: one email per address per cooldown (Email__SignUpAttemptCooldown in notification, 60 s by default).
public sealed class SignUpNoticeCooldownTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task Repeated_sign_ups_on_an_existing_address_send_one_notice()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("notice-flood");

        for (var i = 0; i < 3; i++)
        {
            using var attempt = await _accounts.SignUpAsync(email, "an attacker's long password");
            attempt.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await platform.Mailbox.WaitForAsync(email, "Someone tried to create");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the others, if they were sent, would have arrived by now
        (await platform.Mailbox.AllToAsync(email)).Count(e => e.Subject.Contains("Someone tried to create")).ShouldBe(1);
    }
}
