using System.Net;

namespace AuthPlatform.Account.Tests;

/// <summary>ASVS 2.5 / 3.x: a password set before the address was proven never becomes usable through someone else's proof.</summary>
public sealed class PreRegistrationTests(AccountPlatform platform)
{
    private const string AttackerPassword = "the attacker's own passphrase";
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task An_attacker_who_signed_up_first_with_the_victims_address_is_refused_once_the_victim_verifies()
    {
        var victim = PlatformFixture.NewEmail("victim");

        // The attacker signs up with the victim's address and a password of their own; the email goes to the victim.
        (await _accounts.SignUpAsync(victim, AttackerPassword)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await platform.Mailbox.WaitForAsync(victim, "Verify your email");

        // Later the victim signs up and presses "Verify email" in the email for their own sign-up.
        (await _accounts.SignUpAsync(victim)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _accounts.PressVerifyInEmailAsync(victim, emailNumber: 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var tokens = await _accounts.SignInVerifiedAsync(victim);

        // The attacker's password opens nothing, and the older link (the attacker's sign-up) changes nothing even
        // when pressed: the address is already proven, and that registration died with the victim's proof.
        using var attacker = await _accounts.SignInAsync(victim, AttackerPassword);
        attacker.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.PressVerifyInEmailAsync(victim, emailNumber: 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Task.Delay(1000);
        (await _accounts.SignInAsync(victim, AttackerPassword)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.GetProfileAsync(tokens.AccessToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _accounts.SignInAsync(victim)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Before_the_proof_only_the_sign_ups_own_password_hears_verify_your_email()
    {
        var email = PlatformFixture.NewEmail("pending");
        (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        using var own = await _accounts.SignInAsync(email);
        own.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AccountClient.ProblemTypeAsync(own)).ShouldBe("email-not-verified");
        using var other = await _accounts.SignInAsync(email, "some other passphrase");
        other.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AccountClient.ProblemTypeAsync(other)).ShouldBe("invalid-credentials");
    }

    [Fact]
    public async Task An_expired_registration_cannot_be_completed_and_its_password_is_refused()
    {
        var email = PlatformFixture.NewEmail("expired");
        (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await platform.Mailbox.WaitForAsync(email, "Verify your email");

        // 72 hours pass (Registration__PendingLifetime).
        (await _accounts.ExecuteSqlAsync("accountdb",
            """UPDATE pending_registrations SET "ExpiresAt" = now() - interval '1 second' WHERE "EmailKey" = $1""", email)).ShouldBe(1);

        (await _accounts.SignInAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // The link itself still lives in verification (24 h), but the registration it proves is gone.
        (await _accounts.PressVerifyInEmailAsync(email)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Task.Delay(2000);
        (await _accounts.SignInAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Signing up again works as for a new address.
        (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _accounts.PressVerifyInEmailAsync(email, emailNumber: 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _accounts.SignInVerifiedAsync(email);
    }
}
