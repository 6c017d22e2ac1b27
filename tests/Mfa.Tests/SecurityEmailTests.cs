using System.Net;

namespace AuthPlatform.Mfa.Tests;

// The owner hears about changes that only someone holding the password and the second factor can make, and about a
// replayed TOTP code (someone watched or intercepted it), without a flood of emails.
public sealed class SecurityEmailTests(MfaPlatform platform)
{
    private readonly TwoFactorClient _client = new(platform);

    [Fact]
    public async Task Regenerating_recovery_codes_emails_the_owner()
    {
        var account = await _client.CreateAccountWithTotpAsync("regen-mail");

        using var regenerate = await _client.SendAsync(HttpMethod.Post, "/api/mfa/recovery-codes", account.Tokens.AccessToken,
            new { code = await account.Phone.NextCodeAsync() });
        regenerate.StatusCode.ShouldBe(HttpStatusCode.OK);

        var notice = await platform.Mailbox.WaitForAsync(account.Email, "New recovery codes were generated");
        notice.Text.ShouldContain("The old codes no longer work");
        notice.Html.ShouldNotContain("href", Case.Insensitive);
    }

    [Fact]
    public async Task A_replayed_totp_code_is_refused_and_the_owner_gets_exactly_one_email()
    {
        var account = await _client.CreateAccountWithTotpAsync("replay-mail");
        var code = await account.Phone.NextCodeAsync();
        using var honest = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", code);
        honest.StatusCode.ShouldBe(HttpStatusCode.OK);

        // The attacker saw the code (and knows the password): two replays, both refused.
        for (var i = 0; i < 2; i++)
        {
            using var replay = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", code);
            replay.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var notice = await platform.Mailbox.WaitForAsync(account.Email, "A used two-factor code was tried again");
        notice.Text.ShouldContain("already been used");
        // Give a second email (it must not come) time to arrive.
        await Task.Delay(TimeSpan.FromSeconds(4));
        (await platform.Mailbox.AllToAsync(account.Email)).Count(e => e.Subject.Contains("A used two-factor code was tried again")).ShouldBe(1);
    }
}
