using AuthPlatform.Contracts;
using AuthPlatform.Notification.Email;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AuthPlatform.Notification.Tests;

public sealed class EmailComposerTests
{
    private const string Recipient = "alice@example.com";
    private const string Link = "https://auth.example.com/verify-email?token=abc123";
    private static readonly DateTimeOffset OccurredAt = new(2026, 11, 23, 12, 49, 0, TimeSpan.Zero);

    private readonly EmailComposer _composer = new(Options.Create(new EmailOptions()));

    public static TheoryData<string, string, string, string> LinkEmails => new()
    {
        { EmailTemplates.VerifyEmail, "Verify your email for AuthPlatform", "Verify email", "24 hours" },
        { EmailTemplates.PasswordReset, "Reset your AuthPlatform password", "Reset password", "30 minutes" },
    };

    [Theory]
    [MemberData(nameof(LinkEmails))]
    public void A_link_email_has_its_subject_a_button_and_the_link_in_both_parts(string template, string subject, string button, string expiry)
    {
        var message = _composer.Compose(new SendEmail(Recipient, template, new Dictionary<string, string> { ["link"] = Link }));

        message.Subject.ShouldBe(subject);
        message.To.Mailboxes.Single().Address.ShouldBe(Recipient);
        message.From.Mailboxes.Single().Address.ShouldBe("no-reply@authplatform.local");
        message.Body.ShouldBeOfType<MultipartAlternative>();
        Html(message).ShouldContain($"<a href=\"{Link}\"");
        Html(message).ShouldContain($">{button}</a>");
        Html(message).ShouldContain(expiry);
        Text(message).ShouldContain(expiry);
        Lines(Text(message)).ShouldContain(Link, "the text part has the link alone on a line");
        Text(message).ShouldContain("ignore this email");
    }

    [Fact]
    public void The_verify_email_says_what_to_do_when_you_did_not_sign_up()
    {
        var message = _composer.Compose(new SendEmail(Recipient, EmailTemplates.VerifyEmail, new Dictionary<string, string> { ["link"] = Link }));

        Text(message).ShouldContain("If you did not sign up for AuthPlatform, you can safely ignore this email.");
    }

    [Fact]
    public void The_password_reset_email_says_what_to_do_when_you_did_not_ask()
    {
        var message = _composer.Compose(new SendEmail(Recipient, EmailTemplates.PasswordReset, new Dictionary<string, string> { ["link"] = Link }));

        Text(message).ShouldContain("If you didn't ask to reset your password, you can ignore this email");
    }

    [Fact]
    public void A_hostile_link_is_html_encoded_in_the_html_part()
    {
        const string hostile = "https://auth.example.com/verify-email?token=\"><script>alert(1)</script><a href=\"x";

        var message = _composer.Compose(new SendEmail(Recipient, EmailTemplates.VerifyEmail, new Dictionary<string, string> { ["link"] = hostile }));

        Html(message).ShouldNotContain("<script>");
        Html(message).ShouldNotContain(hostile);
        Html(message).ShouldContain("token=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
        // The text part is not HTML: it carries the link as it is.
        Lines(Text(message)).ShouldContain(hostile);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("/verify-email?token=relative")]
    [InlineData("")]
    public void A_link_that_is_not_an_absolute_http_url_is_refused(string link)
    {
        var ex = Should.Throw<InvalidEmailValueException>(() =>
            _composer.Compose(new SendEmail(Recipient, EmailTemplates.VerifyEmail, new Dictionary<string, string> { ["link"] = link })));

        ex.ShouldBeAssignableTo<UndeliverableEmailException>();
        if (link.Length > 0)
        {
            ex.Message.ShouldNotContain(link, Case.Insensitive, "exception messages reach the logs and must not carry links");
        }
    }

    [Fact]
    public void A_missing_link_is_refused()
    {
        Should.Throw<InvalidEmailValueException>(() =>
            _composer.Compose(new SendEmail(Recipient, EmailTemplates.PasswordReset, new Dictionary<string, string>())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("alice@")]
    public void A_recipient_that_is_not_an_address_is_refused(string to)
    {
        Should.Throw<InvalidEmailValueException>(() =>
            _composer.Compose(new SendEmail(to, EmailTemplates.VerifyEmail, new Dictionary<string, string> { ["link"] = Link })));
    }

    [Fact]
    public void An_unknown_template_throws_an_exception_that_is_not_retried()
    {
        var ex = Should.Throw<UnknownEmailTemplateException>(() =>
            _composer.Compose(new SendEmail(Recipient, "welcome-aboard", new Dictionary<string, string> { ["link"] = Link })));

        ex.Template.ShouldBe("welcome-aboard");
        ex.ShouldBeAssignableTo<UndeliverableEmailException>();
    }

    [Fact]
    public void The_password_changed_email_tells_what_to_do_if_it_was_not_you()
    {
        var message = _composer.Compose(new PasswordChanged(Guid.NewGuid(), Recipient, OccurredAt));

        message.Subject.ShouldBe("Your AuthPlatform password was changed");
        message.To.Mailboxes.Single().Address.ShouldBe(Recipient);
        AssertBothParts(message);
        Text(message).ShouldContain("23 November 2026 at 12:49 UTC");
        Text(message).ShouldContain("If this wasn't you, reset your password now");
        Html(message).ShouldContain("If this wasn&#x27;t you, reset your password now");
    }

    [Fact]
    public void The_sign_up_attempt_email_says_nothing_changed_and_how_to_get_in()
    {
        var message = _composer.Compose(new SignUpAttemptedOnExistingAccount(Guid.NewGuid(), Recipient, OccurredAt));

        message.Subject.ShouldBe("Someone tried to create an AuthPlatform account with your email");
        message.To.Mailboxes.Single().Address.ShouldBe(Recipient);
        AssertBothParts(message);
        Text(message).ShouldContain("already exists");
        Text(message).ShouldContain("nothing about your account changed");
        Text(message).ShouldContain("sign in");
        Text(message).ShouldContain("reset it");
    }

    [Theory]
    [InlineData("totp", "an authenticator app")]
    [InlineData("sms", "text messages to your phone")]
    [InlineData("TOTP", "an authenticator app")]
    public void The_mfa_enabled_email_names_the_method_in_words(string method, string inWords)
    {
        var message = _composer.Compose(new MfaEnabled(Guid.NewGuid(), Recipient, method, Reconfigured: false, OccurredAt));

        message.Subject.ShouldBe("Two-factor authentication was turned on for your AuthPlatform account");
        message.To.Mailboxes.Single().Address.ShouldBe(Recipient);
        AssertBothParts(message);
        Text(message).ShouldContain("23 November 2026 at 12:49 UTC");
        Text(message).ShouldContain($"The second step uses {inWords}.");
        Html(message).ShouldContain($"The second step uses {inWords}.");
        Text(message).ShouldNotContain(method, Case.Sensitive, "the method is named in words, not by its code");
    }

    [Fact]
    public void A_reconfigured_mfa_says_it_was_changed()
    {
        var message = _composer.Compose(new MfaEnabled(Guid.NewGuid(), Recipient, "sms", Reconfigured: true, OccurredAt));

        message.Subject.ShouldBe("Your AuthPlatform two-factor authentication was changed");
        AssertBothParts(message);
        Text(message).ShouldContain("was changed on 23 November 2026 at 12:49 UTC");
        Text(message).ShouldContain("The second step now uses text messages to your phone.");
        Text(message).ShouldNotContain("turned on");
    }

    [Fact]
    public void The_mfa_enabled_email_points_to_the_recovery_codes_and_says_what_to_do_if_it_was_not_you()
    {
        var message = _composer.Compose(new MfaEnabled(Guid.NewGuid(), Recipient, "totp", Reconfigured: false, OccurredAt));

        Text(message).ShouldContain("recovery codes you were shown at setup");
        Text(message).ShouldContain("if you lose your two-factor device");
        Text(message).ShouldContain("If this wasn't you, reset your password now");
        Text(message).ShouldContain("contact AuthPlatform support");
        Html(message).ShouldContain("If this wasn&#x27;t you, reset your password now");
        Html(message).ShouldContain("contact AuthPlatform support");
    }

    [Fact]
    public void An_unknown_mfa_method_still_gets_its_email_without_a_method()
    {
        var message = _composer.Compose(new MfaEnabled(Guid.NewGuid(), Recipient, "carrier-pigeon", Reconfigured: false, OccurredAt));

        message.Subject.ShouldBe("Two-factor authentication was turned on for your AuthPlatform account");
        Text(message).ShouldNotContain("carrier-pigeon");
        Text(message).ShouldNotContain("The second step uses");
        Text(message).ShouldContain("Signing in asks for a one-time code after your password.");
    }

    [Fact]
    public void The_mfa_disabled_email_tells_what_to_do_if_it_was_not_you()
    {
        var message = _composer.Compose(new MfaDisabled(Guid.NewGuid(), Recipient, OccurredAt));

        message.Subject.ShouldBe("Two-factor authentication was turned off for your AuthPlatform account");
        message.To.Mailboxes.Single().Address.ShouldBe(Recipient);
        AssertBothParts(message);
        Text(message).ShouldContain("turned off for your AuthPlatform account on 23 November 2026 at 12:49 UTC");
        Text(message).ShouldContain("If this wasn't you, reset your password now");
        Text(message).ShouldContain("turn two-factor authentication back on");
        Html(message).ShouldContain("If this wasn&#x27;t you, reset your password now");
        Html(message).ShouldContain("turn two-factor authentication back on");
    }

    [Theory]
    [InlineData(9, "You have 9 recovery codes left.")]
    [InlineData(2, "You have 2 recovery codes left.")]
    [InlineData(1, "You have 1 recovery code left.")]
    [InlineData(0, "You have no recovery codes left — generate new ones now")]
    [InlineData(-1, "You have no recovery codes left — generate new ones now")]
    public void The_recovery_code_email_says_how_many_codes_are_left(int remaining, string wording)
    {
        var message = _composer.Compose(new RecoveryCodeUsed(Guid.NewGuid(), Recipient, remaining, OccurredAt));

        message.Subject.ShouldBe("A recovery code was used to sign in to your AuthPlatform account");
        message.To.Mailboxes.Single().Address.ShouldBe(Recipient);
        AssertBothParts(message);
        Text(message).ShouldContain(wording);
        Html(message).ShouldContain(wording.Replace("—", "&#x2014;"));
        Text(message).ShouldNotContain("1 recovery codes");
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(1, true)]
    [InlineData(4, false)]
    [InlineData(9, false)]
    public void The_recovery_code_email_says_when_codes_run_low(int remaining, bool low)
    {
        var message = _composer.Compose(new RecoveryCodeUsed(Guid.NewGuid(), Recipient, remaining, OccurredAt));

        Text(message).Contains("You're running low: generate new ones").ShouldBe(low);
        Text(message).ShouldContain("generate new ones", Case.Sensitive, "generating new codes is always mentioned");
    }

    [Fact]
    public void The_recovery_code_email_tells_what_to_do_if_it_was_not_you()
    {
        var message = _composer.Compose(new RecoveryCodeUsed(Guid.NewGuid(), Recipient, 9, OccurredAt));

        Text(message).ShouldContain("On 23 November 2026 at 12:49 UTC, someone signed in to your AuthPlatform account with a recovery code");
        Text(message).ShouldContain("If this wasn't you, someone has your password");
        Text(message).ShouldContain("Reset your password now");
        Html(message).ShouldContain("If this wasn&#x27;t you, someone has your password");
    }

    [Theory]
    [InlineData(5, "failed the two-factor step 5 times in a row")]
    [InlineData(1, "failed the two-factor step once")]
    public void The_mfa_failures_email_says_the_password_is_known_and_to_change_it(int failures, string wording)
    {
        var message = _composer.Compose(new MfaFailuresDetected(Guid.NewGuid(), Recipient, failures, OccurredAt));

        message.Subject.ShouldBe("Repeated failed two-factor attempts on your AuthPlatform account");
        message.To.Mailboxes.Single().Address.ShouldBe(Recipient);
        AssertBothParts(message);
        Text(message).ShouldContain("On 23 November 2026 at 12:49 UTC, someone entered the correct password");
        Text(message).ShouldContain(wording);
        Html(message).ShouldContain(wording);
        Text(message).ShouldContain("protected by two-factor authentication");
        Text(message).ShouldContain("further attempts are slowed down");
        Text(message).ShouldContain("Change your password now");
    }

    [Theory]
    [InlineData("password-changed")]
    [InlineData("mfa-enabled")]
    [InlineData("mfa-reconfigured")]
    [InlineData("mfa-disabled")]
    [InlineData("recovery-code-used")]
    [InlineData("mfa-failures-detected")]
    [InlineData("recovery-codes-regenerated")]
    [InlineData("totp-replay-rejected")]
    [InlineData("passkey-added")]
    [InlineData("passkey-removed")]
    [InlineData("passkey-sign-count-regressed")]
    public void Security_emails_have_no_links_and_send_people_to_the_sign_in_page(string email)
    {
        var message = email switch
        {
            "password-changed" => _composer.Compose(new PasswordChanged(Guid.NewGuid(), Recipient, OccurredAt)),
            "mfa-enabled" => _composer.Compose(new MfaEnabled(Guid.NewGuid(), Recipient, "totp", Reconfigured: false, OccurredAt)),
            "mfa-reconfigured" => _composer.Compose(new MfaEnabled(Guid.NewGuid(), Recipient, "sms", Reconfigured: true, OccurredAt)),
            "mfa-disabled" => _composer.Compose(new MfaDisabled(Guid.NewGuid(), Recipient, OccurredAt)),
            "recovery-code-used" => _composer.Compose(new RecoveryCodeUsed(Guid.NewGuid(), Recipient, 0, OccurredAt)),
            "mfa-failures-detected" => _composer.Compose(new MfaFailuresDetected(Guid.NewGuid(), Recipient, 5, OccurredAt)),
            "recovery-codes-regenerated" => _composer.Compose(new RecoveryCodesRegenerated(Guid.NewGuid(), Recipient, OccurredAt)),
            "totp-replay-rejected" => _composer.Compose(new TotpReplayRejected(Guid.NewGuid(), Recipient, OccurredAt)),
            "passkey-added" => _composer.Compose(new PasskeyAdded(Guid.NewGuid(), Recipient, "Work laptop", OccurredAt)),
            "passkey-removed" => _composer.Compose(new PasskeyRemoved(Guid.NewGuid(), Recipient, "Work laptop", OccurredAt)),
            "passkey-sign-count-regressed" => _composer.Compose(new PasskeySignCountRegressed(Guid.NewGuid(), Recipient, "Work laptop", OccurredAt)),
            _ => throw new ArgumentOutOfRangeException(nameof(email)),
        };

        Html(message).ShouldNotContain("<a ", Case.Insensitive, "a security alert that asks people to click links is what phishing mails copy");
        Html(message).ShouldNotContain("href", Case.Insensitive);
        Text(message).ShouldNotContain("http", Case.Insensitive);
        Text(message).ShouldContain("sign-in page");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    public void A_security_email_to_something_that_is_not_an_address_is_refused(string to)
    {
        Should.Throw<InvalidEmailValueException>(() => _composer.Compose(new MfaDisabled(Guid.NewGuid(), to, OccurredAt)));
        Should.Throw<InvalidEmailValueException>(() => _composer.Compose(new RecoveryCodeUsed(Guid.NewGuid(), to, 3, OccurredAt)));
    }

    [Fact]
    public void The_from_address_comes_from_the_options()
    {
        var custom = new EmailComposer(Options.Create(new EmailOptions { From = "Example Auth <auth@example.org>" }));

        var message = custom.Compose(new PasswordChanged(Guid.NewGuid(), Recipient, OccurredAt));

        var from = message.From.Mailboxes.Single();
        from.Name.ShouldBe("Example Auth");
        from.Address.ShouldBe("auth@example.org");
    }

    [Fact]
    public void Emails_ask_autoresponders_not_to_answer()
    {
        var message = _composer.Compose(new PasswordChanged(Guid.NewGuid(), Recipient, OccurredAt));

        message.Headers["Auto-Submitted"].ShouldBe("auto-generated");
    }

    private static void AssertBothParts(MimeMessage message)
    {
        var alternative = message.Body.ShouldBeOfType<MultipartAlternative>();
        alternative.OfType<TextPart>().Select(p => p.ContentType.MimeType).ShouldBe(["text/plain", "text/html"], ignoreOrder: true);
        message.TextBody.ShouldNotBeNullOrWhiteSpace();
        message.HtmlBody.ShouldNotBeNullOrWhiteSpace();
    }

    private static string Text(MimeMessage message) => message.TextBody.ShouldNotBeNull();

    private static string Html(MimeMessage message) => message.HtmlBody.ShouldNotBeNull();

    private static string[] Lines(string text) => text.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
}
