using System.Net;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Tokens;
using AuthPlatform.Outbox;
using AuthPlatform.Web.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Account.Apis;

/// <summary>The page behind the emailed reset link: a form for the new password (GET changes nothing).</summary>
public static class ResetPasswordPage
{
    public static IEndpointRouteBuilder MapResetPasswordPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reset-password", (string? token, HttpContext context) => OpaqueToken.IsWellFormed(token)
                ? HtmlPage.Render(context, Form(token!, null), 200)
                : HtmlPage.Render(context, InvalidLink, 400))
            .ExcludeFromDescription();

        app.MapPost("/reset-password", async (HttpContext context, AccountDbContext db, VerificationTokensClient verification,
                PasswordHasher hasher, PasswordPolicy policy, SessionTokens sessions, IEventOutbox outbox, TimeProvider time) =>
            {
                var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
                var token = form?["token"].ToString() ?? "";
                var request = new PasswordResetConfirmRequest(token, form?["newPassword"].ToString() ?? "");
                var result = await AccountApi.ConfirmPasswordResetAsync(request, db, verification, hasher, policy, sessions, outbox, time,
                    context.RequestAborted);
                return result.Result switch
                {
                    Ok => HtmlPage.Render(context, "<h1>Password changed</h1><p>You can now sign in with your new password. Every other session was signed out.</p>", 200),
                    ProblemHttpResult { ProblemDetails.Type: var type } problem when type?.EndsWith("weak-password") == true
                        => HtmlPage.Render(context, Form(token, problem.ProblemDetails.Detail), 400),
                    ProblemHttpResult { StatusCode: 503 } => HtmlPage.Render(context, "<h1>Please try again</h1><p>We could not finish just now.</p>", 503),
                    _ => HtmlPage.Render(context, InvalidLink, 400),
                };
            })
            .DisableAntiforgery() // the token in the form is itself the secret
            .ExcludeFromDescription();
        return app;
    }

    private const string InvalidLink = "<h1>This link is invalid or has expired</h1><p>Ask for a new password-reset email.</p>";

    private static string Form(string token, string? error) => $"""
        <h1>Choose a new password</h1>
        {(error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}
        <form method="post" action="/reset-password">
          <input type="hidden" name="token" value="{WebUtility.HtmlEncode(token)}">
          <label for="newPassword">New password (at least 8 characters)</label>
          <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
          <button type="submit">Set new password</button>
        </form>
        """;
}
