using System.Net;

namespace AuthPlatform.Portal.Pages.Account;

/// <summary>The account pages' sentences for refusals only they meet; every other one is <see cref="ProblemMessages"/>'s.</summary>
public static class AccountMessages
{
    public static string For(ApiProblem problem) => problem.Kind switch
    {
        "invalid-code" => "That code is not right, has expired or was already used. Wait for the next code and try again.",
        "no-pending-setup" => "This setup expired (after 15 minutes) or was already finished. Start again.",
        "current-code-required" => "Two-factor authentication is on: enter a current code or a recovery code first.",
        "mfa-not-enabled" => "Two-factor authentication is already off.",
        "invalid-phone-number" => problem.Detail is { Length: > 0 and < 200 } detail && !detail.Contains('{')
            ? $"That number cannot receive codes: {detail}"
            : "That number cannot receive codes. Use a mobile number in one of the listed countries.",
        "access-key-limit" => "You already have 10 access keys, the most an account can have. Revoke one you no longer use first.",
        "mfa-required" => "Two-factor authentication is on: sign out, then sign in again with your code, to create access keys.",
        "access-key-token" => "This change needs you to sign in with your password.",
        "second-factor-required" => "Two-factor authentication is on: enter a code as well as your password.",
        "invalid-credentials" => "That password is not right. Check it and try again.",
        _ when problem.Status == HttpStatusCode.NotFound => "That no longer exists. It may have been removed already.",
        _ => ProblemMessages.For(problem),
    };
}
