using System.Net;

namespace AuthPlatform.Account.Tests;

/// <summary>Nobody can learn from the API whether an address has an account.</summary>
public sealed class EnumerationTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task New_unverified_and_verified_addresses_get_the_same_sign_up_answer_and_the_right_email()
    {
        var (verified, _) = await _accounts.CreateVerifiedAccountAsync("verified");
        var unverified = PlatformFixture.NewEmail("unverified");
        (await _accounts.SignUpAsync(unverified)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await platform.Mailbox.WaitForAsync(unverified, "Verify your email");
        var fresh = PlatformFixture.NewEmail("fresh");

        var answers = new List<(HttpStatusCode Status, string Body)>();
        foreach (var email in new[] { fresh, unverified, verified })
        {
            using var response = await _accounts.SignUpAsync(email, "another long passphrase");
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
        answers.Distinct().Count().ShouldBe(1, "the three cases must look the same");
        answers[0].Status.ShouldBe(HttpStatusCode.Accepted);

        await platform.Mailbox.WaitForAsync(fresh, "Verify your email");
        await platform.Mailbox.WaitForAsync(unverified, "Verify your email", count: 2);
        await platform.Mailbox.WaitForAsync(verified, "Someone tried to create");

        // The existing account's password did not change.
        await _accounts.SignInVerifiedAsync(verified);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_account_give_identical_401s()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("known");

        using var wrongPassword = await _accounts.SignInAsync(email, "not the right password");
        using var unknownAccount = await _accounts.SignInAsync(PlatformFixture.NewEmail("unknown"), "not the right password");

        wrongPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        unknownAccount.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var wrongBody = await AccountClient.JsonAsync(wrongPassword);
        var unknownBody = await AccountClient.JsonAsync(unknownAccount);
        wrongBody.GetProperty("type").GetString().ShouldBe(unknownBody.GetProperty("type").GetString());
        wrongBody.GetProperty("title").GetString().ShouldBe(unknownBody.GetProperty("title").GetString());
        wrongBody.GetProperty("detail").GetString().ShouldBe(unknownBody.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Password_reset_answers_202_whether_or_not_the_account_exists()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("reset-enum");
        using var known = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email });
        using var unknown = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email = PlatformFixture.NewEmail("ghost") });

        known.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        unknown.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await known.Content.ReadAsStringAsync()).ShouldBe(await unknown.Content.ReadAsStringAsync());
    }
}
