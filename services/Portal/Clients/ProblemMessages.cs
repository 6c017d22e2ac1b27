using System.Net;

namespace AuthPlatform.Portal.Clients;

/// <summary>What a person reads when the API refuses: one sentence per kind of refusal, never the problem document.</summary>
public static class ProblemMessages
{
    public static string For(ApiProblem problem) => problem.Kind switch
    {
        "invalid-credentials" => "That email and password do not match an account. Check both and try again.",
        "email-not-verified" => "This email address is not verified yet. Open the link in the email we sent you, or send it again below.",
        "weak-password" => WeakPassword(problem),
        "invalid-token" => "This link is invalid or has expired. Ask for a new one.",
        "invalid-code" => "That code is not right. Check it and try again.",
        "invalid-mfa-token" => "This sign-in took too long. Please sign in again.",
        "too-many-attempts" => $"Too many attempts. For your security this is locked; try again {InAWhile(problem.RetryAfter)}.",
        "too-many-requests" => $"Too many requests from your network. Try again {InAWhile(problem.RetryAfter)}.",
        "sms-cooldown" => $"A code was sent moments ago. You can ask for a new one {InAWhile(problem.RetryAfter)}.",
        "sms-limit" => $"Too many text messages were sent. Try again {InAWhile(problem.RetryAfter)}, or use a recovery code.",
        "session-ended" or "invalid-refresh-token" => "Your session has ended. Please sign in again.",
        "busy" => "We are busy right now. Please try again in a moment.",
        "invalid-request" => "Some of what you entered is not valid. Check it and try again.",
        "passkey-refused" => "That passkey was not accepted. Try another passkey, or sign in another way.",
        "passkey-challenge-expired" => "That took too long. Please try the passkey again.",
        "no-passkey" => "This account has no passkey. Use your code instead.",
        "too-many-passkeys" => "You have the most passkeys an account can have. Remove one you no longer use first.",
        _ when problem.Status == HttpStatusCode.TooManyRequests => $"Too many attempts. Try again {InAWhile(problem.RetryAfter)}.",
        _ => "Something went wrong on our side. Please try again in a minute.",
    };

    /// <summary>"in 42 seconds", "in 5 minutes", "in 2 hours"; "later" when the API did not say.</summary>
    public static string InAWhile(TimeSpan? wait) => wait switch
    {
        null => "later",
        { TotalSeconds: <= 90 } w => $"in {Math.Max(1, (int)Math.Ceiling(w.TotalSeconds))} seconds",
        { TotalMinutes: <= 90 } w => $"in {(int)Math.Ceiling(w.TotalMinutes)} minutes",
        { } w => $"in {(int)Math.Ceiling(w.TotalHours)} hours",
    };

    private static string WeakPassword(ApiProblem problem) =>
        problem.Detail is { Length: > 0 and < 200 } detail && !detail.Contains('{')
            ? detail
            : "Choose a different password: use 12 to 128 characters and avoid common passwords.";
}
