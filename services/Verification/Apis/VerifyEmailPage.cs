using System.Net;
using AuthPlatform.Verification.Tokens;
using AuthPlatform.Web.Pages;
using MassTransit;

namespace AuthPlatform.Verification.Apis;

/// <summary>
/// The page behind the emailed link. GET only shows a "Verify email" button, so mail scanners that prefetch
/// links verify nobody; pressing it POSTs the token (a plain form: works without JavaScript).
/// </summary>
public static class VerifyEmailPage
{
    public static IEndpointRouteBuilder MapVerifyEmailPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/verify-email", (string? token, HttpContext context) =>
            Page(context, OpaqueToken.IsWellFormed(token)
                ? $"""
                   <h1>Verify your email</h1>
                   <p>Press the button to confirm this address for your AuthPlatform account.</p>
                   <form method="post" action="/verify-email">
                     <input type="hidden" name="token" value="{WebUtility.HtmlEncode(token)}">
                     <button type="submit">Verify email</button>
                   </form>
                   """
                : InvalidLink, OpaqueToken.IsWellFormed(token) ? 200 : 400))
            .ExcludeFromDescription();

        app.MapPost("/verify-email", async (HttpContext context, VerificationTokens tokens, IPublishEndpoint bus, TimeProvider time, VerificationMetrics metrics) =>
            {
                var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
                var outcome = await VerificationApi.ConfirmAsync(form?["token"].ToString(), tokens, bus, time, metrics, context.RequestAborted);
                return outcome switch
                {
                    VerificationApi.ConfirmOutcome.Verified => Page(context,
                        "<h1>Email verified</h1><p>Thank you. You can now sign in to AuthPlatform.</p>", 200),
                    VerificationApi.ConfirmOutcome.Unavailable => Page(context,
                        "<h1>Please try again</h1><p>We could not finish just now. Press the button in the email again in a minute.</p>", 503),
                    _ => Page(context, InvalidLink, 400),
                };
            })
            .DisableAntiforgery() // the token in the form is itself the secret; there is no session to ride
            .ExcludeFromDescription();
        return app;
    }

    private const string InvalidLink =
        "<h1>This link is invalid or has expired</h1><p>Sign in or ask for a new verification email.</p>";

    private static IResult Page(HttpContext context, string body, int status) => HtmlPage.Render(context, body, status);
}
