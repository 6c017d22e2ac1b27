using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Account.Apis;

/// <summary>The account service's error kinds, each with a stable problem "type".</summary>
public static class Problems
{
    public static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(detail, statusCode: 400, title: "Invalid request", type: ProblemTypes.Base + "invalid-request");

    public static ProblemHttpResult WeakPassword(string detail) =>
        TypedResults.Problem(detail, statusCode: 400, title: "Password not accepted", type: ProblemTypes.Base + "weak-password");

    /// <summary>One answer for an unknown account and a wrong password.</summary>
    public static ProblemHttpResult InvalidCredentials() =>
        TypedResults.Problem("The email or password is incorrect.", statusCode: 401, title: "Invalid credentials", type: ProblemTypes.Base + "invalid-credentials");

    public static ProblemHttpResult EmailNotVerified() =>
        TypedResults.Problem("Verify your email address first; you can ask for a new verification email.", statusCode: 403,
            title: "Email not verified", type: ProblemTypes.Base + "email-not-verified");

    public static ProblemHttpResult InvalidRefreshToken() =>
        TypedResults.Problem("The refresh token is invalid, expired or already used; sign in again.", statusCode: 401,
            title: "Invalid refresh token", type: ProblemTypes.Base + "invalid-refresh-token");

    public static ProblemHttpResult InvalidResetToken() =>
        TypedResults.Problem("This password-reset link is invalid or has expired; ask for a new one.", statusCode: 400,
            title: "Invalid or expired link", type: ProblemTypes.Base + "invalid-token");

    public static ProblemHttpResult TooManyAttempts(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = RetryAfterHeader.Set(context.Response, retryAfter);
        return TypedResults.Problem($"Too many attempts. Try again in {seconds} seconds.", statusCode: 429,
            title: "Too many attempts", type: ProblemTypes.Base + "too-many-attempts");
    }

    public static ProblemHttpResult InvalidMfaToken() =>
        TypedResults.Problem("The sign-in has expired or was already completed; sign in again with your password.", statusCode: 401,
            title: "Invalid MFA token", type: ProblemTypes.Base + "invalid-mfa-token");

    /// <summary>The mfa service's answer to a wrong, malformed or throttled code, passed on as it is.</summary>
    public static ProblemHttpResult Relayed(HttpContext context, MfaVerification verification) =>
        InternalCalls.RelayProblem(context, (int)verification.Status, verification.Problem, verification.RetryAfter);

    /// <summary>With <c>methods</c>, so a client knows which code to ask for.</summary>
    public static ProblemHttpResult SecondFactorRequired(string detail, IReadOnlyList<string> methods) =>
        TypedResults.Problem(detail, statusCode: 403, title: "Second factor required", type: ProblemTypes.Base + "second-factor-required",
            extensions: new Dictionary<string, object?> { ["methods"] = methods });

    public static ProblemHttpResult SessionEnded() =>
        TypedResults.Problem("This session has ended; sign in again.", statusCode: 401, title: "Session ended", type: ProblemTypes.Base + "session-ended");

    /// <summary>Password hashing is at capacity; refused at once rather than queued without bound.</summary>
    public static ProblemHttpResult Busy(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = RetryAfterHeader.Set(context.Response, retryAfter);
        return TypedResults.Problem($"The service is busy. Try again in {seconds} seconds.", statusCode: 503,
            title: "Busy", type: ProblemTypes.Base + "busy");
    }

    public static ProblemHttpResult ProviderEmailNotVerified() =>
        TypedResults.Problem("The identity provider has not verified this email address, so it cannot sign in to or create an account.",
            statusCode: 403, title: "Email not verified by the provider", type: ProblemTypes.Base + "provider-email-not-verified");

    public static ProblemHttpResult InvalidLinkToken() =>
        TypedResults.Problem("This link request is invalid, expired or already used; sign in with Google again.", statusCode: 400,
            title: "Invalid link token", type: ProblemTypes.Base + "invalid-link-token");

    public static ProblemHttpResult LinkProofRequired() =>
        TypedResults.Problem("Sign in with this account's password first; then the identity can be linked.", statusCode: 403,
            title: "Password proof required", type: ProblemTypes.Base + "link-proof-required");

    public static ProblemHttpResult IdentityAlreadyLinked() =>
        TypedResults.Problem("This identity is already linked to an account.", statusCode: 409,
            title: "Identity already linked", type: ProblemTypes.Base + "identity-already-linked");

    public static ProblemHttpResult LastWayToSignIn() =>
        TypedResults.Problem("This is the account's only way to sign in. Set a password first (forgot password), then unlink it.", statusCode: 409,
            title: "Last way to sign in", type: ProblemTypes.Base + "last-sign-in-method");
}
