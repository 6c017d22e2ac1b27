using System.Net;

namespace AuthPlatform.Portal.Tests;

/// <summary>Account page → Turn On → SMS Number: country and number, the texted code (from the fake Twilio), the recovery codes.</summary>
public sealed class PhoneSetupTests(PortalPlatform platform, BrowserFixture browser)
{
    [Fact]
    public async Task Turning_on_text_message_codes_sends_a_code_to_the_number_and_ends_with_the_recovery_codes()
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        var email = await AccountPageSteps.SignedInAsync(platform, visit, "portal-sms");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Turn On" }).ClickAsync();
        await visit.Page.GetByLabel("SMS Number").CheckAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/two-factor/sms");
        (await visit.MainTextAsync()).ShouldContain("an authenticator app is safer", Case.Insensitive);
        await visit.StepAsync("phone-number");

        // Mistakes are sentences next to their fields.
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send the code" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Mobile number")).ShouldBe("Enter your mobile number.");
        var phone = TestPhoneNumbers.NewMobile();
        var national = "0" + phone["+44".Length..];
        await visit.Page.GetByLabel("Mobile number").FillAsync($"{national[..5]} {national[5..]}");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send the code" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Country")).ShouldContain("Choose your country");
        await visit.Page.GetByLabel("Country").SelectOptionAsync("US");
        await visit.Page.GetByLabel("Mobile number").FillAsync("555 0100");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send the code" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Mobile number")).ShouldStartWith("That number cannot receive codes");
        await visit.StepAsync("phone-number-refused");

        // The UK number typed as people do at home: the code is texted to it in E.164.
        await visit.Page.GetByLabel("Country").SelectOptionAsync("GB");
        await visit.Page.GetByLabel("Mobile number").FillAsync($"{national[..5]} {national[5..]}");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send the code" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/two-factor/sms?notice=sent");
        var sms = await platform.Twilio.WaitForMessageAsync(phone);
        (await visit.MainTextAsync()).ShouldContain("We texted a code to");
        (await visit.MainTextAsync()).ShouldNotContain(phone[3..]);
        await visit.StepAsync("sms-code");

        // Asking again at once meets the 30 s cooldown, said as a sentence.
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" }).ClickAsync();
        (await visit.Page.Locator("#form-error").InnerTextAsync()).ShouldContain("A code was sent moments ago. You can ask for a new one in");
        await visit.StepAsync("sms-cooldown");

        await visit.Page.GetByLabel("Six-digit code").FillAsync(sms.Code == "000000" ? "111111" : "000000");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Six-digit code")).ShouldContain("That code is not right");
        await visit.Page.GetByLabel("Six-digit code").FillAsync(sms.Code);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/two-factor/recovery-codes");
        (await AccountPageSteps.RecoveryCodesOnPageAsync(visit)).Length.ShouldBe(10);
        await visit.StepAsync("sms-recovery-codes");
        await visit.Page.GetByLabel("I saved my recovery codes somewhere safe").CheckAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "I saved them" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=two-factor-on");
        (await AccountPageSteps.TwoFactorStateAsync(visit)).ShouldBe("On, with codes by text message (SMS). 10 recovery codes remain.");
        await visit.StepAsync("account-sms-on");

        using var signIn = await new AccountClient(platform).SignInAsync(email);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AccountClient.JsonAsync(signIn)).GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["sms", "recovery_code"]);
    }
}
