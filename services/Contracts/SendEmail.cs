namespace AuthPlatform.Contracts;

/// <summary>A request to notification to render and send one email. One email per message id, however often delivered.</summary>
/// <param name="To">The recipient's address.</param>
/// <param name="Template">One of <see cref="EmailTemplates"/>.</param>
/// <param name="Values">The template's values (e.g. <c>link</c>); never a password.</param>
public sealed record SendEmail(string To, string Template, IReadOnlyDictionary<string, string> Values);

public static class EmailTemplates
{
    /// <summary>"Verify email" button; value <c>link</c>.</summary>
    public const string VerifyEmail = "verify-email";

    /// <summary>"Reset password" button; value <c>link</c>.</summary>
    public const string PasswordReset = "password-reset";
}
