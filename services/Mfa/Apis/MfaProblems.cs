using AuthPlatform.Mfa.Factors;
using AuthPlatform.Mfa.Passkeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Mfa.Apis;

public static class MfaProblems
{
    public static ProblemHttpResult Malformed(string detail = "The code must be 6 digits (or a recovery code such as ABCD-EFGH-JKMN-PQRS).") =>
        TypedResults.Problem(detail, statusCode: 400, title: "Invalid code format", type: ProblemTypes.Base + "invalid-request");

    public static ProblemHttpResult WrongCode(int status = 400) =>
        TypedResults.Problem("The code is wrong, expired or already used. Wait for the next code and try again.", statusCode: status,
            title: "Invalid code", type: ProblemTypes.Base + "invalid-code");

    public static ProblemHttpResult NotEnabled() =>
        TypedResults.Problem("Two-factor authentication is not turned on for this account.", statusCode: 400,
            title: "Two-factor authentication is off", type: ProblemTypes.Base + "mfa-not-enabled");

    public static ProblemHttpResult CurrentCodeRequired() =>
        TypedResults.Problem("Two-factor authentication is on: give a current code or a recovery code as currentCode.", statusCode: 400,
            title: "Current code required", type: ProblemTypes.Base + "current-code-required");

    public static ProblemHttpResult NoPendingSetup() =>
        TypedResults.Problem("There is no setup in progress, or it expired (15 minutes). Start again.", statusCode: 400,
            title: "No setup in progress", type: ProblemTypes.Base + "no-pending-setup");

    public static ProblemHttpResult Throttled(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = RetryAfterHeader.Set(context.Response, retryAfter);
        return TypedResults.Problem($"Too many wrong codes. Try again in {seconds} seconds.", statusCode: 429,
            title: "Too many attempts", type: ProblemTypes.Base + "too-many-attempts");
    }

    /// <summary>verification's refusal to text a code (cooldown or pumping limit), passed on as it is.</summary>
    public static ProblemHttpResult Relayed(HttpContext context, SmsCodeRequestOutcome sent) =>
        InternalCalls.RelayProblem(context, (int)sent.Status, sent.Problem, sent.RetryAfter);

    /// <summary>The problem for a check that did not pass, or null when it was accepted.</summary>
    public static ProblemHttpResult? For(FactorCheck check, HttpContext context, int wrongStatus = 400) => check.Result switch
    {
        CheckResult.Accepted => null,
        CheckResult.Throttled => Throttled(context, check.RetryAfter!.Value),
        CheckResult.Malformed => Malformed(),
        CheckResult.NotEnabled => NotEnabled(),
        _ => WrongCode(wrongStatus),
    };

    public static ProblemHttpResult InvalidPasskeyName() =>
        TypedResults.Problem($"A passkey's name is 1 to {PasskeyOptions.MaxNameLength} characters, without control characters.", statusCode: 400,
            title: "Invalid name", type: ProblemTypes.Base + "invalid-request");

    /// <summary>The problem for a passkey step that did not succeed.</summary>
    public static ProblemHttpResult For(PasskeyOutcome outcome) => outcome.Result switch
    {
        PasskeyResult.Malformed => TypedResults.Problem("credential must be the browser's PublicKeyCredential as JSON (binary fields base64url).",
            statusCode: 400, title: "Invalid credential", type: ProblemTypes.Base + "invalid-request"),
        PasskeyResult.ChallengeGone => TypedResults.Problem("The passkey request expired or was already used (it works once, for 5 minutes). Start again.",
            statusCode: 400, title: "Passkey request expired", type: ProblemTypes.Base + "passkey-challenge-expired"),
        PasskeyResult.TooMany => TypedResults.Problem(outcome.Detail, statusCode: 409, title: "Too many passkeys", type: ProblemTypes.Base + "too-many-passkeys"),
        PasskeyResult.NotFound => TypedResults.Problem("This account has no passkey.", statusCode: 400, title: "No passkey",
            type: ProblemTypes.Base + "no-passkey"),
        _ => TypedResults.Problem($"The passkey was not accepted: {outcome.Detail}", statusCode: 400, title: "Passkey not accepted",
            type: ProblemTypes.Base + "passkey-refused"),
    };
}
