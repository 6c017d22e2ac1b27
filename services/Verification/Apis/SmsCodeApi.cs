using AuthPlatform.Verification.Sms;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Verification.Apis;

/// <summary>
/// SMS codes for the mfa service, on the internal listener only and only for mfa's service token. The account is the
/// token's <c>sub</c> and the end user's address its <c>client_addr</c>: nothing in the body can change whose
/// budget is spent.
/// </summary>
public static class SmsCodeApi
{
    public const string Caller = "mfa";

    public static IEndpointRouteBuilder MapSmsCodeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapInternalGroup(SmsCodeCalls.Group, Caller);

        api.MapPost("/", async Task<Results<Accepted<SmsCodeSent>, ProblemHttpResult>> (SendSmsCodeRequest request, HttpContext context, SmsCodes codes,
            PhoneNumberPolicy phones, CancellationToken cancellationToken) =>
        {
            var caller = context.InternalCaller();
            if (caller.AccountId is not { } accountId || !SmsCodePurpose.IsKnown(request.Purpose))
            {
                return TypedResults.Problem("Unknown purpose, or no account in the service token.", statusCode: 400, title: "Invalid request");
            }
            // Defence in depth: mfa checks the number at enrolment; verification never texts a number the policy refuses.
            var (e164, refusal) = phones.Check(request.PhoneNumber);
            if (e164 is null)
            {
                return TypedResults.Problem(refusal, statusCode: 400, title: "Phone number not accepted", type: ProblemTypes.Base + "phone-number-refused");
            }
            var result = await codes.SendAsync(request.Purpose, accountId, e164, caller.ClientAddress, cancellationToken);
            if (result.Outcome == SendOutcome.Sent)
            {
                return TypedResults.Accepted((string?)null, new SmsCodeSent((int)result.CodeLifetime!.Value.TotalSeconds));
            }
            var seconds = RetryAfterHeader.Set(context.Response, result.RetryAfter!.Value);
            return result.Outcome == SendOutcome.Cooldown
                ? TypedResults.Problem($"A code was just sent. You can ask for another in {seconds} seconds.", statusCode: 429,
                    title: "Wait before resending", type: ProblemTypes.Base + "sms-cooldown")
                : TypedResults.Problem($"Too many text messages ({result.Reason}). Try again in {seconds} seconds, or use an authenticator app.",
                    statusCode: 429, title: "Too many text messages", type: ProblemTypes.Base + "sms-limit");
        });

        api.MapPost(SmsCodeCalls.Verify[SmsCodeCalls.Group.Length..], async Task<Results<Ok, ProblemHttpResult>> (VerifySmsCodeRequest request, HttpContext context, SmsCodes codes) =>
            context.InternalCaller().AccountId is { } accountId && SmsCodePurpose.IsKnown(request.Purpose)
                && request is { PhoneNumber: { } phoneNumber, Code: { } code }
                && await codes.VerifyAsync(request.Purpose, accountId, phoneNumber, code)
                ? TypedResults.Ok()
                : TypedResults.Problem("The code is wrong, expired or already used.", statusCode: 400, title: "Invalid code",
                    type: ProblemTypes.Base + "invalid-code"));
        return app;
    }
}
