using AuthPlatform.Servers;
using AuthPlatform.Verification.Tokens;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Verification.Apis;

public static class VerificationApi
{
    public static IEndpointRouteBuilder MapVerificationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/verification").WithTags("Verification");
        api.MapPost("/email/confirm", ConfirmEmailAsync).WithSummary("Confirm an email address with the token from its \"Verify email\" link");
        api.MapPost("/email/resend", ResendEmailAsync).WithSummary("Send the verification email again (always 202; one per address per minute)");

        // Service-to-service only: the internal listener, account's service token.
        app.MapInternalGroup(TokenRedemptionCalls.Group, "account").MapPost(TokenRedemptionCalls.Redeem[TokenRedemptionCalls.Group.Length..], RedeemAsync);
        return app;
    }

    public static async Task<Results<Ok, ProblemHttpResult>> ConfirmEmailAsync(
        ConfirmEmailRequest request, VerificationTokens tokens, IPublishEndpoint bus, TimeProvider time, VerificationMetrics metrics,
        CancellationToken cancellationToken)
    {
        return await ConfirmAsync(request.Token, tokens, bus, time, metrics, cancellationToken) switch
        {
            ConfirmOutcome.Verified => TypedResults.Ok(),
            ConfirmOutcome.Unavailable => TypedResults.Problem("Try again shortly.", statusCode: 503, title: "Temporarily unavailable",
                type: ProblemTypes.Base + "unavailable"),
            _ => InvalidToken(),
        };
    }

    internal enum ConfirmOutcome { Verified, Invalid, Unavailable }

    /// <summary>Spends the token and announces <see cref="EmailVerified"/>; if the announcement fails, the token is put back.</summary>
    internal static async Task<ConfirmOutcome> ConfirmAsync(string? token, VerificationTokens tokens, IPublishEndpoint bus,
        TimeProvider time, VerificationMetrics metrics, CancellationToken cancellationToken)
    {
        if (token is null || await tokens.RedeemAsync(TokenPurpose.EmailVerify, token) is not { } redeemed)
        {
            return ConfirmOutcome.Invalid;
        }
        try
        {
            await EventBus.WithinConfirmDeadline(
                token => bus.Publish(new EmailVerified(redeemed.Subject.SubjectId, redeemed.Subject.Email, time.GetUtcNow()), token), cancellationToken);
            metrics.EmailVerified();
            return ConfirmOutcome.Verified;
        }
        catch (Exception ex) when (ex is OperationCanceledException or MassTransitException || DependencyFailure.Is(ex))
        {
            await tokens.RestoreAsync(redeemed);
            return ConfirmOutcome.Unavailable;
        }
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ResendEmailAsync(
        ResendEmailRequest request, VerificationTokens tokens, IPublishEndpoint bus, TimeProvider time, CancellationToken cancellationToken)
    {
        if (EmailAddress.Normalize(request.Email) is not { } email)
        {
            return TypedResults.Problem("The email address is not valid.", statusCode: 400, title: "Invalid request",
                type: ProblemTypes.Base + "invalid-request");
        }
        if (await tokens.TryStartResendCooldownAsync(EmailAddress.Key(email)))
        {
            await EventBus.WithinConfirmDeadline(token => bus.Publish(new EmailVerificationResendRequested(email, time.GetUtcNow()), token), cancellationToken);
        }
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Ok<RedeemedToken>, ProblemHttpResult>> RedeemAsync(
        RedeemTokenRequest request, VerificationTokens tokens)
    {
        if (!TokenPurpose.IsKnown(request.Purpose) || await tokens.RedeemAsync(request.Purpose, request.Token) is not { } redeemed)
        {
            return InvalidToken();
        }
        return TypedResults.Ok(new RedeemedToken(redeemed.Subject.SubjectId, redeemed.Subject.Email, redeemed.Subject.RequestedAt));
    }

    /// <summary>One answer for unknown, expired and used tokens.</summary>
    private static ProblemHttpResult InvalidToken() =>
        TypedResults.Problem("This link is invalid or has expired. Ask for a new one.", statusCode: 400,
            title: "Invalid or expired link", type: ProblemTypes.Base + "invalid-token");
}
