using AuthPlatform.Verification.Sms;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Verification.Apis;

public sealed record SendSmsCodeRequest(string Purpose, Guid AccountId, string PhoneNumber, string? ClientAddress);

public sealed record VerifySmsCodeRequest(string Purpose, Guid AccountId, string? PhoneNumber, string Code);

/// <summary>SMS codes for the mfa service. Service-to-service only: the gateway never routes /internal.</summary>
public static class SmsCodeApi
{
    public static IEndpointRouteBuilder MapSmsCodeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/sms-codes").ExcludeFromDescription();

        api.MapPost("/", async Task<Results<Accepted, ProblemHttpResult>> (SendSmsCodeRequest request, HttpContext context, SmsCodes codes, CancellationToken cancellationToken) =>
        {
            if (!SmsPurpose.IsKnown(request.Purpose) || !request.PhoneNumber.StartsWith('+') || request.PhoneNumber.Length > 16)
            {
                return TypedResults.Problem("Unknown purpose or not an E.164 number.", statusCode: 400, title: "Invalid request");
            }
            var result = await codes.SendAsync(request.Purpose, request.AccountId, request.PhoneNumber, request.ClientAddress, cancellationToken);
            if (result.Outcome == SendOutcome.Sent)
            {
                return TypedResults.Accepted((string?)null);
            }
            var seconds = RetryAfterHeader.Set(context.Response, result.RetryAfter!.Value);
            return result.Outcome == SendOutcome.Cooldown
                ? TypedResults.Problem($"A code was just sent. You can ask for another in {seconds} seconds.", statusCode: 429,
                    title: "Wait before resending", type: ProblemTypes.Base + "sms-cooldown")
                : TypedResults.Problem($"Too many text messages ({result.Reason}). Try again in {seconds} seconds, or use an authenticator app.",
                    statusCode: 429, title: "Too many text messages", type: ProblemTypes.Base + "sms-limit");
        });

        api.MapPost("/verify", async Task<Results<Ok, ProblemHttpResult>> (VerifySmsCodeRequest request, SmsCodes codes) =>
            SmsPurpose.IsKnown(request.Purpose) && await codes.VerifyAsync(request.Purpose, request.AccountId, request.PhoneNumber, request.Code)
                ? TypedResults.Ok()
                : TypedResults.Problem("The code is wrong, expired or already used.", statusCode: 400, title: "Invalid code",
                    type: ProblemTypes.Base + "invalid-code"));
        return app;
    }
}
