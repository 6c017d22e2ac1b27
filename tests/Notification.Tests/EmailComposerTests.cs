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

    private readonly EmailComposer composer = new(Options.Create(new EmailOptions()));

    public static TheoryData<string, string, string, string> LinkEmails => new()
    {
        { EmailTemplates.VerifyEmail, "Verify your email for AuthPlatform", "Verify email", "24 hours" },
        { EmailTemplates.PasswordReset, "Reset your AuthPlatform password", "Reset password", "30 minutes" },
    };

    [Theory]
    [MemberData(nameof(LinkEmails))]
    public void A_link_email_has_its_subject_a_button_and_the_link_in_both_parts(string template, string subject, string button, string expiry)
    {
        var message = composer.Compose(new SendEmail(Recipient, template, new Dictionary<string, string> { ["link"] = Link }));

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
        var message = composer.Compose(new SendEmail(Recipient, EmailTemplates.VerifyEmail, new Dictionary<string, string> { ["link"] = Link }));

        Text(message).ShouldContain("If you did not sign up for AuthPlatform, you can safely ignore this email.");
    }

    [Fact]
    public void The_password_reset_email_says_what_to_do_when_you_did_not_ask()
    {
        var message = composer.Compose(new SendEmail(Recipient, EmailTemplates.PasswordReset, new Dictionary<string, string> { ["link"] = Link }));

        Text(message).ShouldContain("If you didn't ask to reset your password, you can ignore this email");
    }

    [Fact]
    public void A_hostile_link_is_html_encoded_in_the_html_part()
    {
        const string hostile = "https://auth.example.com/verify-email?token=\"><script>alert(1)</script><a href=\"x";

        var message = composer.Compose(new SendEmail(Recipient, EmailTemplates.VerifyEmail, new Dictionary<string, string> { ["link"] = hostile }));

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
            composer.Compose(new SendEmail(Recipient, EmailTemplates.VerifyEmail, new Dictionary<string, string> { ["link"] = link })));

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
            composer.Compose(new SendEmail(Recipient, EmailTemplates.PasswordReset, new Dictionary<string, string>())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("alice@")]
    public void A_recipient_that_is_not_an_address_is_refused(string to)
    {
        Should.Throw<InvalidEmailValueException>(() =>
            composer.Compose(new SendEmail(to, EmailTemplates.VerifyEmail, new Dictionary<string, string> { ["link"] = Link })));
    }

    [Fact]
    public void An_unknown_template_throws_an_exception_that_is_not_retried()
    {
        var ex = Should.Throw<UnknownEmailTemplateException>(() =>
            composer.Compose(new SendEmail(Recipient, "welcome-aboard", new Dictionary<string, string> { ["link"] = Link })));

        ex.Template.ShouldBe("welcome-aboard");
        ex.ShouldBeAssignableTo<UndeliverableEmailException>();
    }

    [Fact]
    public void The_password_changed_email_tells_what_to_do_if_it_was_not_you()
    {
        var message = composer.Compose(new PasswordChanged(Guid.NewGuid(), Recipient, OccurredAt));

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
        var message = composer.Compose(new SignUpAttemptedOnExistingAccount(Guid.NewGuid(), Recipient, OccurredAt));

        message.Subject.ShouldBe("Someone tried to create an AuthPlatform account with your email");
        message.To.Mailboxes.Single().Address.ShouldBe(Recipient);
        AssertBothParts(message);
        Text(message).ShouldContain("already exists");
        Text(message).ShouldContain("nothing about your account changed");
        Text(message).ShouldContain("sign in");
        Text(message).ShouldContain("reset it");
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
        var message = composer.Compose(new PasswordChanged(Guid.NewGuid(), Recipient, OccurredAt));

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
