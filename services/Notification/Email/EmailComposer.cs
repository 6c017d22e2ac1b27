using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using AuthPlatform.Contracts;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AuthPlatform.Notification.Email;

/// <summary>
/// Renders each email as a finished <see cref="MimeMessage"/>: a plain-text part and an HTML part with the same
/// words (multipart/alternative), so every mail client shows something sensible and the link is always usable.
/// </summary>
public sealed class EmailComposer(IOptions<EmailOptions> options)
{
    private const string Product = "AuthPlatform";

    /// <summary>With this many recovery codes left or fewer, the recovery-code email says they are running low.</summary>
    private const int FewRecoveryCodes = 3;

    private readonly MailboxAddress _from = MailboxAddress.Parse(options.Value.From);

    public MimeMessage Compose(SendEmail request) => request.Template switch
    {
        EmailTemplates.VerifyEmail => Render(request.To, new EmailContent(
            Subject: $"Verify your email for {Product}",
            Heading: "Confirm your email address",
            Intro: [$"Thanks for signing up for {Product}. Verify your email address to finish creating your account."],
            Button: new EmailButton("Verify email", RequireLink(request)),
            Outro:
            [
                "This link expires in 24 hours and works only once.",
                $"If you did not sign up for {Product}, you can safely ignore this email.",
            ])),

        EmailTemplates.PasswordReset => Render(request.To, new EmailContent(
            Subject: $"Reset your {Product} password",
            Heading: "Reset your password",
            Intro: [$"We received a request to reset the password of the {Product} account for this email address."],
            Button: new EmailButton("Reset password", RequireLink(request)),
            Outro:
            [
                "This link expires in 30 minutes and works only once.",
                "If you didn't ask to reset your password, you can ignore this email: your password stays the same.",
            ])),

        _ => throw new UnknownEmailTemplateException(request.Template),
    };

    public MimeMessage Compose(PasswordChanged passwordChanged) => Render(passwordChanged.Email, new EmailContent(
        Subject: $"Your {Product} password was changed",
        Heading: "Your password was changed",
        Intro:
        [
            $"The password of your {Product} account was changed on {Timestamp(passwordChanged.OccurredAt)}. "
                + "Every device that was signed in has been signed out.",
            "If this was you, there is nothing else to do.",
        ],
        Button: null,
        Outro:
        [
            // No link on purpose: a security alert that asks people to click links is what phishing mails copy.
            $"If this wasn't you, reset your password now: choose \"Forgot password\" on the {Product} sign-in page. "
                + "Then check your two-factor settings and your access keys.",
        ]));

    public MimeMessage Compose(SignUpAttemptedOnExistingAccount attempt) => Render(attempt.Email, new EmailContent(
        Subject: $"Someone tried to create an {Product} account with your email",
        Heading: "Someone tried to sign up with your email",
        Intro:
        [
            $"On {Timestamp(attempt.OccurredAt)}, someone tried to create a new {Product} account with this email address. "
                + "An account with this address already exists, so no new account was created and nothing about your account changed.",
        ],
        Button: null,
        Outro:
        [
            $"If it was you, sign in to your existing account instead. If you forgot your password, choose \"Forgot password\" on the {Product} sign-in page to reset it.",
            "If it wasn't you, you can ignore this email.",
        ]));

    // The two-factor emails below carry no links either, for the same reason as the password-changed email:
    // they tell people where to go (the sign-in page, their two-factor settings) and let them get there themselves.

    public MimeMessage Compose(MfaEnabled enabled)
    {
        var method = MfaMethodInWords(enabled.Method);
        return Render(enabled.Email, new EmailContent(
            Subject: enabled.Reconfigured
                ? $"Your {Product} two-factor authentication was changed"
                : $"Two-factor authentication was turned on for your {Product} account",
            Heading: enabled.Reconfigured ? "Your two-factor authentication was changed" : "Two-factor authentication is on",
            Intro:
            [
                (enabled.Reconfigured
                    ? $"The two-factor authentication of your {Product} account was changed on {Timestamp(enabled.OccurredAt)}."
                        + (method is null ? "" : $" The second step now uses {method}.")
                    : $"Two-factor authentication was turned on for your {Product} account on {Timestamp(enabled.OccurredAt)}."
                        + (method is null ? "" : $" The second step uses {method}."))
                    + " Signing in asks for a one-time code after your password.",
                "Keep the recovery codes you were shown at setup somewhere safe: if you lose your two-factor device, "
                    + "they are your way in (choose \"Can't access two-factor device\" when you sign in).",
            ],
            Button: null,
            Outro:
            [
                // A new password shuts the intruder out, but their second factor would keep the owner out as well:
                // only support can remove it.
                $"If this wasn't you, reset your password now: choose \"Forgot password\" on the {Product} sign-in page. "
                    + $"Then contact {Product} support to have the two-factor method you didn't set up removed.",
            ]));
    }

    public MimeMessage Compose(MfaDisabled disabled) => Render(disabled.Email, new EmailContent(
        Subject: $"Two-factor authentication was turned off for your {Product} account",
        Heading: "Two-factor authentication is off",
        Intro:
        [
            $"Two-factor authentication was turned off for your {Product} account on {Timestamp(disabled.OccurredAt)}. "
                + "Signing in no longer asks for a second step after your password.",
            "If this was you, there is nothing else to do, though we recommend turning it back on: it keeps your account safe even if someone learns your password.",
        ],
        Button: null,
        Outro:
        [
            $"If this wasn't you, reset your password now: choose \"Forgot password\" on the {Product} sign-in page. "
                + "Then sign in and turn two-factor authentication back on.",
        ]));

    public MimeMessage Compose(RecoveryCodeUsed used) => Render(used.Email, new EmailContent(
        Subject: $"A recovery code was used to sign in to your {Product} account",
        Heading: "A recovery code was used",
        Intro:
        [
            $"On {Timestamp(used.OccurredAt)}, someone signed in to your {Product} account with a recovery code instead of a two-factor code. "
                + "Each recovery code works only once.",
            RecoveryCodesLeft(used.Remaining),
        ],
        Button: null,
        Outro:
        [
            "If this was you because you can no longer use your two-factor device, set up two-factor authentication again on a device you have.",
            $"If this wasn't you, someone has your password and one of your recovery codes. Reset your password now: choose \"Forgot password\" on the {Product} sign-in page. "
                + "Then sign in and generate new recovery codes in your two-factor settings.",
        ]));

    public MimeMessage Compose(RecoveryCodesRegenerated regenerated) => Render(regenerated.Email, new EmailContent(
        Subject: $"New recovery codes were generated for your {Product} account",
        Heading: "New recovery codes",
        Intro:
        [
            $"On {Timestamp(regenerated.OccurredAt)}, new recovery codes were generated for your {Product} account. "
                + "The old codes no longer work.",
        ],
        Button: null,
        Outro:
        [
            "If this was you, keep the new codes somewhere safe, away from your two-factor device.",
            $"If this wasn't you, someone has your password and your second factor. Reset your password now: choose \"Forgot password\" on the {Product} sign-in page. "
                + "Then sign in, set up two-factor authentication again and generate new recovery codes.",
        ]));

    public MimeMessage Compose(PasskeyAdded added) => Render(added.Email, new EmailContent(
        Subject: $"A passkey was added to your {Product} account",
        Heading: "New passkey",
        Intro:
        [
            $"On {Timestamp(added.OccurredAt)}, a passkey named \"{added.Name}\" was added to your {Product} account. "
                + "It can sign in to your account without your password.",
        ],
        Button: null,
        Outro:
        [
            "If this was you, there is nothing more to do.",
            $"If this wasn't you, sign in, remove that passkey on your account page, and reset your password: choose \"Forgot password\" on the {Product} sign-in page.",
        ]));

    public MimeMessage Compose(PasskeyRemoved removed) => Render(removed.Email, new EmailContent(
        Subject: $"A passkey was removed from your {Product} account",
        Heading: "Passkey removed",
        Intro:
        [
            $"On {Timestamp(removed.OccurredAt)}, the passkey named \"{removed.Name}\" was removed from your {Product} account. It no longer signs in.",
        ],
        Button: null,
        Outro:
        [
            "If this was you, there is nothing more to do.",
            $"If this wasn't you, someone is signed in to your account. Reset your password now: choose \"Forgot password\" on the {Product} sign-in page.",
        ]));

    public MimeMessage Compose(PasskeySignCountRegressed regressed) => Render(regressed.Email, new EmailContent(
        Subject: $"A sign-in with a copy of your passkey was refused on {Product}",
        Heading: "Passkey sign-in refused",
        Intro:
        [
            $"On {Timestamp(regressed.OccurredAt)}, someone tried to sign in to your {Product} account with your passkey \"{regressed.Name}\", "
                + "but the passkey's signature counter went backwards. That happens when a passkey has been copied, so we refused the sign-in.",
        ],
        Button: null,
        Outro:
        [
            "Remove that passkey on your account page and add a new one from a device you trust.",
            $"If you did not try to sign in, also reset your password: choose \"Forgot password\" on the {Product} sign-in page.",
        ]));

    public MimeMessage Compose(TotpReplayRejected replay) => Render(replay.Email, new EmailContent(
        Subject: $"A used two-factor code was tried again on your {Product} account",
        Heading: "A used two-factor code was tried again",
        Intro:
        [
            $"On {Timestamp(replay.OccurredAt)}, someone entered an authenticator code for your {Product} account that had already been used. "
                + "Each code works only once, so it was refused.",
            "That can happen when you type the same code twice, but also when someone watched or intercepted your code and knows your password.",
        ],
        Button: null,
        Outro:
        [
            $"If this wasn't you, change your password now: choose \"Forgot password\" on the {Product} sign-in page. That also signs out every device that is signed in.",
            "We send this email at most once an hour.",
        ]));

    public MimeMessage Compose(MfaFailuresDetected failures) => Render(failures.Email, new EmailContent(
        Subject: $"Repeated failed two-factor attempts on your {Product} account",
        Heading: "Someone may know your password",
        Intro:
        [
            $"On {Timestamp(failures.OccurredAt)}, someone entered the correct password for your {Product} account "
                + $"and then failed the two-factor step {TimesInARow(failures.ConsecutiveFailures)}. "
                + "That usually means someone else knows your password.",
            "Your account is protected by two-factor authentication: without the second step nobody can sign in, "
                + "and further attempts are slowed down.",
        ],
        Button: null,
        Outro:
        [
            $"Change your password now: choose \"Forgot password\" on the {Product} sign-in page and set a new one, "
                + "one you don't use anywhere else. That also signs out every device that is signed in.",
            "If these attempts were yours, you can ignore this email.",
        ]));

    public MimeMessage Compose(AccessKeyCreated created) => Render(created.Email, new EmailContent(
        Subject: $"A new access key was created for your {Product} account",
        Heading: "New access key",
        Intro:
        [
            $"On {Timestamp(created.OccurredAt)}, an access key named \"{created.Name}\" ({created.AccessKeyId}) was created for your {Product} account. "
                + "Access keys let scripts and the command-line tool act as you, even when two-factor authentication is on.",
        ],
        Button: null,
        Outro:
        [
            "If this was you, there is nothing else to do. Keep the secret somewhere safe; it was shown only once.",
            $"If this wasn't you, revoke the key in your account now and reset your password: choose \"Forgot password\" on the {Product} sign-in page.",
        ]));

    public MimeMessage Compose(SignedInFromNewDevice signIn) => Render(signIn.Email, new EmailContent(
        Subject: $"New sign-in to your {Product} account",
        Heading: "New sign-in on a new device",
        Intro:
        [
            $"On {Timestamp(signIn.OccurredAt)}, your {Product} account was signed in on a device it had not been used on before: {signIn.Device}.",
        ],
        Button: null,
        Outro:
        [
            "If this was you, there is nothing else to do.",
            $"If this wasn't you, someone knows your password: reset it now by choosing \"Forgot password\" on the {Product} sign-in page, "
                + "which signs out every device and forgets every remembered one.",
        ]));

    private MimeMessage Render(string to, EmailContent content)
    {
        if (string.IsNullOrWhiteSpace(to) || !MailboxAddress.TryParse(to, out var recipient) || !recipient.Address.Contains('@'))
        {
            throw new InvalidEmailValueException("The recipient is not a valid email address.");
        }

        var message = new MimeMessage();
        message.From.Add(_from);
        message.To.Add(recipient);
        message.Subject = content.Subject;
        // RFC 3834: tells autoresponders (out-of-office and the like) not to answer.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder
        {
            TextBody = RenderText(content),
            HtmlBody = RenderHtml(content),
        }.ToMessageBody();
        return message;
    }

    private static string RenderText(EmailContent content)
    {
        var text = new StringBuilder();
        text.Append(content.Heading).Append("\n\n");
        foreach (var paragraph in content.Intro)
        {
            text.Append(paragraph).Append("\n\n");
        }
        if (content.Button is { } button)
        {
            // The link alone on its line, so that clients which linkify plain text pick up all of it.
            text.Append(button.Label).Append(":\n").Append(button.Link).Append("\n\n");
        }
        foreach (var paragraph in content.Outro)
        {
            text.Append(paragraph).Append("\n\n");
        }
        text.Append("-- \nThis is an automated message from ").Append(Product).Append("; replies are not read.\n");
        return text.ToString();
    }

    // Table layout and inline styles: the subset of HTML that mail clients (Outlook included) render reliably.
    private static string RenderHtml(EmailContent content)
    {
        static string E(string value) => HtmlEncoder.Default.Encode(value);

        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(content.Subject)}</title>
            </head>
            <body style="margin:0;padding:0;background-color:#f4f5f7;">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background-color:#f4f5f7;">
            <tr><td align="center" style="padding:24px 12px;">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background-color:#ffffff;border-radius:8px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2933;">
            <tr><td style="padding:32px 32px 0;font-size:14px;font-weight:600;color:#52606d;">{E(Product)}</td></tr>
            <tr><td style="padding:0 32px;">
            <h1 style="margin:16px 0;font-size:22px;line-height:1.3;">{E(content.Heading)}</h1>

            """);
        foreach (var paragraph in content.Intro)
        {
            html.Append($"""<p style="margin:0 0 16px;font-size:16px;line-height:1.5;">{E(paragraph)}</p>""").Append('\n');
        }
        if (content.Button is { } button)
        {
            var href = E(button.Link);
            html.Append($"""
                <table role="presentation" cellpadding="0" cellspacing="0" style="margin:8px 0 24px;"><tr>
                <td style="border-radius:6px;background-color:#2563eb;"><a href="{href}" style="display:inline-block;padding:12px 24px;font-size:16px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">{E(button.Label)}</a></td>
                </tr></table>
                <p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:#52606d;">If the button doesn't work, copy this link into your browser:<br><a href="{href}" style="color:#2563eb;word-break:break-all;">{href}</a></p>

                """);
        }
        foreach (var paragraph in content.Outro)
        {
            html.Append($"""<p style="margin:0 0 16px;font-size:16px;line-height:1.5;">{E(paragraph)}</p>""").Append('\n');
        }
        html.Append($"""
            </td></tr>
            <tr><td style="padding:16px 32px 32px;font-size:12px;line-height:1.5;color:#7b8794;">This is an automated message from {E(Product)}; replies are not read.</td></tr>
            </table>
            </td></tr>
            </table>
            </body>
            </html>

            """);
        return html.ToString();
    }

    private static string RequireLink(SendEmail request)
    {
        // Only http(s): anything else (javascript:, data:) in a button would be an attack, not a link of ours.
        if (request.Values is null
            || !request.Values.TryGetValue("link", out var link)
            || !Uri.TryCreate(link, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http"))
        {
            throw new InvalidEmailValueException($"Template '{request.Template}' needs a 'link' value that is an absolute http(s) URL.");
        }
        return link;
    }

    /// <summary>The method of an <see cref="MfaEnabled"/> in words; null for one this worker does not know.</summary>
    /// <remarks>An unknown method still gets its email, only without naming the method: the alert matters more.</remarks>
    private static string? MfaMethodInWords(string? method) => method?.Trim().ToLowerInvariant() switch
    {
        FactorMethod.Totp => "an authenticator app",
        FactorMethod.Sms => "text messages to your phone",
        _ => null,
    };

    private static string RecoveryCodesLeft(int remaining) => remaining switch
    {
        <= 0 => "You have no recovery codes left — generate new ones now in your two-factor settings, "
            + "or losing your two-factor device could lock you out of your account.",
        1 => "You have 1 recovery code left. You're running low: generate new ones in your two-factor settings.",
        <= FewRecoveryCodes => $"You have {remaining} recovery codes left. You're running low: generate new ones in your two-factor settings.",
        _ => $"You have {remaining} recovery codes left. When you run low, generate new ones in your two-factor settings.",
    };

    private static string TimesInARow(int count) => count == 1 ? "once" : $"{count} times in a row";

    private static string Timestamp(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private sealed record EmailContent(
        string Subject, string Heading, IReadOnlyList<string> Intro, EmailButton? Button, IReadOnlyList<string> Outro);

    private sealed record EmailButton(string Label, string Link);
}
