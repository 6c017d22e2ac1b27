using AuthPlatform.Verification.Tokens;
using MassTransit;

namespace AuthPlatform.Verification.Consumers;

/// <summary>Issues a token for the purpose and asks notification to email its link.</summary>
public sealed class VerificationEmailSender(VerificationTokens tokens, VerificationLinks links)
{
    public Task SendAsync(ConsumeContext context, string purpose, Guid subjectId, string email) =>
        SendAsync(context, purpose, new TokenSubject(subjectId, email));

    public async Task SendAsync(ConsumeContext context, string purpose, TokenSubject subject)
    {
        var email = subject.Email;
        var token = await tokens.IssueAsync(purpose, subject);
        var (template, link) = purpose == TokenPurpose.PasswordReset
            ? (EmailTemplates.PasswordReset, links.ResetPassword(token))
            : (EmailTemplates.VerifyEmail, links.VerifyEmail(token));
        await EventBus.WithinConfirmDeadline(token => context.Publish(
            new SendEmail(email, template, new Dictionary<string, string> { ["link"] = link }),
            send => send.MessageId = VerificationLinks.EmailMessageId(context.MessageId, template), token), context.CancellationToken);
    }
}
