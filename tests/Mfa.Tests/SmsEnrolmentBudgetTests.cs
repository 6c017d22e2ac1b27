using System.Net;

namespace AuthPlatform.Mfa.Tests;

/// <summary>
/// SMS budgets through the gateway: enrolment attempts (anyone can type anyone's number) have budgets of their own, so
/// they cannot use up the sign-in codes of the number's owner, and one account can only try a few numbers a day.
/// </summary>
public sealed class SmsEnrolmentBudgetTests(MfaPlatform platform)
{
    private readonly TwoFactorClient _client = new(platform);

    private async Task<HttpResponseMessage> StartEnrolmentAsync(Tokens tokens, string phoneNumber) =>
        await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms", tokens.AccessToken, new { phoneNumber });

    [Fact]
    public async Task Throwaway_accounts_enrolling_the_victims_number_do_not_stop_the_victims_sign_in_codes()
    {
        var (victimEmail, victim) = await _client.Accounts.CreateVerifiedAccountAsync("victim");
        var phone = TestPhoneNumbers.NewMobile();
        using (var start = await StartEnrolmentAsync(victim, phone))
        {
            start.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }
        using (var confirm = await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms/confirm", victim.AccessToken,
            new { code = (await platform.Twilio.WaitForMessageAsync(phone)).Code }))
        {
            confirm.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // The attack: throwaway accounts "enrol" the victim's number until its enrolment budget (3 per 10 minutes) is gone.
        var refusedAttempts = 0;
        for (var i = 0; i < 3; i++)
        {
            var (_, attacker) = await _client.Accounts.CreateVerifiedAccountAsync("throwaway");
            using var attempt = await StartEnrolmentAsync(attacker, phone);
            if (attempt.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refusedAttempts++;
                (await AccountClient.JsonAsync(attempt)).GetProperty("detail").GetString()!.ShouldContain("per-number limit");
            }
        }
        refusedAttempts.ShouldBe(1, "the third throwaway finds the number's enrolment budget spent");
        await platform.Twilio.WaitForMessageAsync(phone, count: 3);

        // The victim still signs in with a code texted to the same number.
        var mfaToken = await _client.PasswordStepAsync(victimEmail);
        var signIn = await platform.Twilio.WaitForMessageAsync(phone, count: 4);
        using var second = await _client.SecondStepAsync(mfaToken, "sms", signIn.Code);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_fourth_number_in_one_day_is_refused_with_429()
    {
        var (_, tokens) = await _client.Accounts.CreateVerifiedAccountAsync("hopper");
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await StartEnrolmentAsync(tokens, TestPhoneNumbers.NewMobile());
            allowed.StatusCode.ShouldBe(HttpStatusCode.Accepted, await allowed.Content.ReadAsStringAsync());
        }
        var fourth = TestPhoneNumbers.NewMobile();

        using var refused = await StartEnrolmentAsync(tokens, fourth);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        refused.Headers.RetryAfter.ShouldNotBeNull();
        var problem = await AccountClient.JsonAsync(refused);
        problem.GetProperty("type").GetString()!.ShouldEndWith("sms-limit");
        problem.GetProperty("detail").GetString()!.ShouldContain("numbers per account per day");
        await Task.Delay(500);
        platform.Twilio.Messages.ShouldNotContain(m => m.To == fourth, "nothing is texted to the fourth number");
    }
}
