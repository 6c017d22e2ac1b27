using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthPlatform.Mfa.Tests;

public sealed class TotpFlowTests(MfaPlatform platform)
{
    private readonly TwoFactorClient _client = new(platform);

    [Fact]
    public async Task Enrol_by_QR_confirm_then_sign_in_with_password_and_authenticator_code()
    {
        var (email, tokens) = await _client.Accounts.CreateVerifiedAccountAsync("enrol");

        using var start = await _client.SendAsync(HttpMethod.Post, "/api/mfa/totp", tokens.AccessToken, new { });
        start.StatusCode.ShouldBe(HttpStatusCode.OK);
        var setup = await AccountClient.JsonAsync(start);
        var secret = setup.GetProperty("secret").GetString()!;
        var uri = setup.GetProperty("otpauthUri").GetString()!;
        secret.Length.ShouldBe(32, "160 random bits in Base32");
        uri.ShouldBe($"otpauth://totp/AuthPlatform:{email}?secret={secret}&issuer=AuthPlatform&algorithm=SHA1&digits=6&period=30");
        (await QrCodes.ScanDataUriAsync(setup.GetProperty("qrCodePng").GetString()!)).ShouldBe(uri);
        setup.GetProperty("setupExpiresIn").GetInt32().ShouldBe(900, "the pending secret waits 15 minutes for a code");

        // Nothing changes until confirmed: the password alone still signs in.
        using var before = await _client.Accounts.SignInAsync(email);
        (await AccountClient.JsonAsync(before)).TryGetProperty("accessToken", out _).ShouldBeTrue();

        var phone = new Authenticator(secret);
        using var confirm = await _client.SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", tokens.AccessToken, new { code = await phone.NextCodeAsync() });
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK);
        var codes = (await AccountClient.JsonAsync(confirm)).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        codes.Count.ShouldBe(10);
        codes.ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c, "^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$"));
        codes.Distinct().Count().ShouldBe(10);
        await platform.Mailbox.WaitForAsync(email, "Two-factor authentication was turned on");

        using var status = await _client.SendAsync(HttpMethod.Get, "/api/mfa", tokens.AccessToken);
        var state = await AccountClient.JsonAsync(status);
        state.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        state.GetProperty("method").GetString().ShouldBe("totp");
        state.GetProperty("recoveryCodesRemaining").GetInt32().ShouldBe(10);

        var mfaToken = await _client.PasswordStepAsync(email);
        using var second = await _client.SecondStepAsync(mfaToken, "totp", await phone.NextCodeAsync());
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var signedIn = (await second.Content.ReadFromJsonAsync<Tokens>())!;
        new JsonWebToken(signedIn.AccessToken).GetPayloadValue<string[]>("amr").ShouldBe(["pwd", "otp", "mfa"]);

        using var me = await _client.Accounts.GetProfileAsync(signedIn.AccessToken);
        var mfa = (await AccountClient.JsonAsync(me)).GetProperty("mfa");
        mfa.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        mfa.GetProperty("method").GetString().ShouldBe("totp");

        // The mfaToken is spent.
        using var again = await _client.SecondStepAsync(mfaToken, "totp", await phone.NextCodeAsync());
        again.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_tells_the_owner_and_2FA_stays_on()
    {
        var account = await _client.CreateAccountWithTotpAsync("recovery");

        using var first = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "recovery_code", account.RecoveryCodes[0].ToLowerInvariant());
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var notice = await platform.Mailbox.WaitForAsync(account.Email, "recovery code was used");
        notice.Text.ShouldContain("9 recovery codes left");

        using var reuse = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "recovery_code", account.RecoveryCodes[0]);
        reuse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Still on: the password alone is not enough.
        await _client.PasswordStepAsync(account.Email);
    }

    [Fact]
    public async Task Regenerated_recovery_codes_replace_the_old_ones()
    {
        var account = await _client.CreateAccountWithTotpAsync("regenerate");

        using var regenerate = await _client.SendAsync(HttpMethod.Post, "/api/mfa/recovery-codes", account.Tokens.AccessToken,
            new { code = await account.Phone.NextCodeAsync() });
        regenerate.StatusCode.ShouldBe(HttpStatusCode.OK);
        var fresh = (await AccountClient.JsonAsync(regenerate)).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        fresh.Intersect(account.RecoveryCodes).ShouldBeEmpty();

        using var old = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "recovery_code", account.RecoveryCodes[1]);
        old.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var current = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "recovery_code", fresh[0]);
        current.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reconfiguring_keeps_the_old_phone_working_until_the_new_one_is_confirmed()
    {
        var account = await _client.CreateAccountWithTotpAsync("new-phone");

        using var withoutCode = await _client.SendAsync(HttpMethod.Post, "/api/mfa/totp", account.Tokens.AccessToken, new { });
        withoutCode.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var start = await _client.SendAsync(HttpMethod.Post, "/api/mfa/totp", account.Tokens.AccessToken,
            new { currentCode = await account.Phone.NextCodeAsync() });
        start.StatusCode.ShouldBe(HttpStatusCode.OK);
        var newPhone = new Authenticator((await AccountClient.JsonAsync(start)).GetProperty("secret").GetString()!);

        // Pending: the old phone still signs in.
        using var oldStillWorks = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", await account.Phone.NextCodeAsync());
        oldStillWorks.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Steps are shared per account, so the new phone's confirmation uses a later step than the old phone's last.
        using var confirm = await _client.SendAsync(HttpMethod.Post, "/api/mfa/totp/confirm", account.Tokens.AccessToken,
            new { code = await NextAfterAsync(newPhone, account.Phone) });
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK);
        await platform.Mailbox.WaitForAsync(account.Email, "two-factor authentication was changed");

        using var oldDead = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", await account.Phone.NextCodeAsync());
        oldDead.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var newWorks = await _client.SecondStepAsync(await _client.PasswordStepAsync(account.Email), "totp", await NextAfterAsync(newPhone, account.Phone));
        newWorks.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Disabling_needs_a_code_and_then_the_password_alone_signs_in()
    {
        var account = await _client.CreateAccountWithTotpAsync("disable");

        using var wrong = await _client.SendAsync(HttpMethod.Delete, "/api/mfa", account.Tokens.AccessToken, new { code = "000000" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var disable = await _client.SendAsync(HttpMethod.Delete, "/api/mfa", account.Tokens.AccessToken, new { code = await account.Phone.NextCodeAsync() });
        disable.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await platform.Mailbox.WaitForAsync(account.Email, "turned off");

        using var signIn = await _client.Accounts.SignInAsync(account.Email);
        (await AccountClient.JsonAsync(signIn)).TryGetProperty("accessToken", out _).ShouldBeTrue();
        using var status = await _client.SendAsync(HttpMethod.Get, "/api/mfa", account.Tokens.AccessToken);
        (await AccountClient.JsonAsync(status)).GetProperty("enabled").GetBoolean().ShouldBeFalse();
    }

    private static async Task<string> NextAfterAsync(Authenticator phone, Authenticator other)
    {
        while (true)
        {
            var code = await phone.NextCodeAsync();
            if (phone.LastStep > other.LastStep)
            {
                return code;
            }
        }
    }
}
