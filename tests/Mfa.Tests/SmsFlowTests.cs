using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthPlatform.Mfa.Tests;

public sealed class SmsFlowTests(MfaPlatform platform)
{
    private readonly TwoFactorClient _client = new(platform);

    private async Task<(string Email, Tokens Tokens, string Phone, string[] RecoveryCodes)> CreateAccountWithSmsAsync(string hint)
    {
        var (email, tokens) = await _client.Accounts.CreateVerifiedAccountAsync(hint);
        var phone = TestPhoneNumbers.NewMobile();
        using var start = await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms", tokens.AccessToken, new { phoneNumber = phone });
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
        var sms = await platform.Twilio.WaitForMessageAsync(phone);
        using var confirm = await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms/confirm", tokens.AccessToken, new { code = sms.Code });
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK, await confirm.Content.ReadAsStringAsync());
        var codes = (await AccountClient.JsonAsync(confirm)).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return (email, tokens, phone, codes);
    }

    [Fact]
    public async Task Enrol_a_phone_confirm_the_texted_code_then_sign_in_with_the_code_that_arrives()
    {
        var (email, tokens) = await _client.Accounts.CreateVerifiedAccountAsync("sms");
        var phone = TestPhoneNumbers.NewMobile();

        using var start = await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms", tokens.AccessToken, new { phoneNumber = $"{phone[..3]} {phone[3..7]} {phone[7..]}" });
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var started = await AccountClient.JsonAsync(start);
        started.GetProperty("advice").GetString()!.ShouldContain("authenticator app");
        // The assembly runs verification with a 4-minute lifetime (MfaPlatform): the answer and the text say so.
        started.GetProperty("expiresIn").GetInt32().ShouldBe((int)MfaPlatform.SmsCodeLifetime.TotalSeconds);
        started.GetProperty("setupExpiresIn").GetInt32().ShouldBe(900, "the number waits 15 minutes for a code; a new code can be asked for meanwhile");

        var enrolSms = await platform.Twilio.WaitForMessageAsync(phone);
        enrolSms.From.ShouldBe(platform.Twilio.From);
        enrolSms.Body.ShouldBe($"{enrolSms.Code} is your AuthPlatform code. It expires in 4 minutes.\n\n@localhost #{enrolSms.Code}");

        using var confirm = await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms/confirm", tokens.AccessToken, new { code = enrolSms.Code });
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK);
        var confirmed = await AccountClient.JsonAsync(confirm);
        confirmed.GetProperty("recoveryCodes").GetArrayLength().ShouldBe(10);
        confirmed.GetProperty("advice").GetString()!.ShouldContain("NIST");
        await platform.Mailbox.WaitForAsync(email, "Two-factor authentication was turned on");

        // Sign in: the code is texted at once.
        using var password = await _client.Accounts.SignInAsync(email);
        var challenge = await AccountClient.JsonAsync(password);
        challenge.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["sms", "recovery_code"]);
        var signInSms = await platform.Twilio.WaitForMessageAsync(phone, count: 2);

        using var second = await _client.SecondStepAsync(challenge.GetProperty("mfaToken").GetString()!, "sms", signInSms.Code);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var signedIn = (await second.Content.ReadFromJsonAsync<Tokens>())!;
        new JsonWebToken(signedIn.AccessToken).GetPayloadValue<string[]>("amr").ShouldBe(["pwd", "sms", "mfa"]);

        // The code was single use.
        using var again = await _client.SecondStepAsync(await _client.PasswordStepAsync(email), "sms", signInSms.Code);
        again.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Resending_the_sign_in_code_waits_30_seconds()
    {
        var account = await CreateAccountWithSmsAsync("resend");
        var mfaToken = await _client.PasswordStepAsync(account.Email);
        await platform.Twilio.WaitForMessageAsync(account.Phone, count: 2);

        using var tooSoon = await platform.Gateway.PostAsJsonAsync("/api/sessions/mfa/sms", new { mfaToken });

        tooSoon.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        int.Parse(tooSoon.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 30);
        (await AccountClient.JsonAsync(tooSoon)).GetProperty("type").GetString()!.ShouldEndWith("sms-cooldown");
        await Task.Delay(500);
        platform.Twilio.Messages.Count(m => m.To == account.Phone).ShouldBe(2, "no extra text during the cooldown");
    }

    [Fact]
    public async Task Five_wrong_codes_and_the_right_one_no_longer_signs_in()
    {
        var account = await CreateAccountWithSmsAsync("wrong");
        var mfaToken = await _client.PasswordStepAsync(account.Email);
        var right = (await platform.Twilio.WaitForMessageAsync(account.Phone, count: 2)).Code;
        var wrong = ((int.Parse(right) + 1) % 1_000_000).ToString("D6");

        for (var i = 0; i < 5; i++)
        {
            (await _client.SecondStepAsync(mfaToken, "sms", wrong)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        using var tooLate = await _client.SecondStepAsync(mfaToken, "sms", right);

        tooLate.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        // The recovery path still works.
        (await _client.SecondStepAsync(mfaToken, "recovery_code", account.RecoveryCodes[0])).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Switching_from_an_authenticator_app_to_SMS_keeps_the_app_working_until_the_phone_is_confirmed()
    {
        var account = await _client.CreateAccountWithTotpAsync("switch");
        var phone = TestPhoneNumbers.NewMobile();

        using var start = await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms", account.Tokens.AccessToken,
            new { phoneNumber = phone, currentCode = await account.Phone.NextCodeAsync() });
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var sms = await platform.Twilio.WaitForMessageAsync(phone);

        // Pending: the app still signs in.
        (await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", await account.Phone.NextCodeAsync()))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        using var confirm = await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms/confirm", account.Tokens.AccessToken, new { code = sms.Code });
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var password = await _client.Accounts.SignInAsync(account.Email);
        var challenge = await AccountClient.JsonAsync(password);
        challenge.GetProperty("methods")[0].GetString().ShouldBe("sms");
        using var oldApp = await _client.SecondStepAsync(challenge.GetProperty("mfaToken").GetString()!, "totp", await account.Phone.NextCodeAsync());
        oldApp.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the app is no longer a method of this account");
    }

    [Theory]
    [InlineData("+44 909 879 0000", "Premium-rate")]
    [InlineData("+33 6 12 34 56 78", "cannot be sent to numbers in FR")]
    [InlineData("+44 20 7946 0000", "mobile")]
    [InlineData("12345", "international form")]
    [InlineData("+999 123", "not")]
    [InlineData("", "international form")]
    public async Task Numbers_that_must_not_receive_codes_are_refused_with_a_clear_400(string number, string reason)
    {
        var (_, tokens) = await _client.Accounts.CreateVerifiedAccountAsync("bad-number");

        using var response = await _client.SendAsync(HttpMethod.Post, "/api/mfa/sms", tokens.AccessToken, new { phoneNumber = number });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AccountClient.JsonAsync(response)).GetProperty("detail").GetString()!.ShouldContain(reason, Case.Insensitive);
    }
}
