using System.Text.Json.Serialization;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Throttling;
using AuthPlatform.Account.Tokens;
using AuthPlatform.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Apis;

public sealed record SignInRequest(string Email, string Password);

public sealed record RefreshRequest(string RefreshToken);

/// <summary>Either tokens, or (when a second factor is needed) <c>mfaRequired</c> with an mfaToken and the methods.</summary>
public sealed record SignInResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ExpiresIn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool MfaRequired = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MfaToken = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Methods = null)
{
    public static SignInResponse Tokens(IssuedTokens tokens) =>
        new(tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresIn, "Bearer");
}

public static class SessionApi
{
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sessions").WithTags("Sessions");
        api.MapPost("/", SignInAsync).WithSummary("Sign in with email and password");
        api.MapPost("/refresh", RefreshAsync).WithSummary("Swap a refresh token for new tokens (rotation)");
        api.MapDelete("/current", SignOutAsync).WithSummary("Sign out: revoke the refresh token's session");
        return app;
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext context, AccountDbContext db, PasswordHasher hasher, SignInThrottle throttle,
        SessionTokens sessions, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Normalize(request.Email);
        if (email is null || request.Password.Length > PasswordPolicy.MaxLength * 4)
        {
            return Problems.Invalid("Give a valid email address and a password.");
        }
        var emailKey = EmailAddress.Key(email);
        var clientAddress = context.Connection.RemoteIpAddress?.ToString();
        if (await throttle.TakeAttemptAsync(emailKey, clientAddress) is { } retryAfter)
        {
            return Problems.TooManyAttempts(context, retryAfter);
        }

        var account = await db.Accounts.SingleOrDefaultAsync(a => a.EmailKey == emailKey, cancellationToken);
        if (account is null)
        {
            hasher.VerifyDummy(request.Password);
            return Problems.InvalidCredentials();
        }
        var check = hasher.Verify(account.PasswordHash, request.Password);
        if (check == PasswordCheck.Wrong)
        {
            loggers.CreateLogger("AuthPlatform.Account.SignIn").LogInformation("Failed sign-in for {Email}", Redact.Email(email));
            return Problems.InvalidCredentials();
        }
        await throttle.ForgiveAsync(emailKey, clientAddress);
        if (check == PasswordCheck.RightButOutdated)
        {
            account.PasswordHash = hasher.Hash(request.Password);
            await db.SaveChangesAsync(cancellationToken);
        }
        if (!account.EmailVerified)
        {
            return Problems.EmailNotVerified();
        }
        var tokens = await sessions.StartAsync(account, ["pwd"], cancellationToken);
        AccountMetrics.SignIns.Add(1);
        return TypedResults.Ok(SignInResponse.Tokens(tokens));
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, SessionTokens sessions, CancellationToken cancellationToken)
    {
        if (!OpaqueToken.IsWellFormed(request.RefreshToken))
        {
            return Problems.InvalidRefreshToken();
        }
        var tokens = await sessions.RotateAsync(request.RefreshToken, cancellationToken);
        return tokens is null ? Problems.InvalidRefreshToken() : TypedResults.Ok(SignInResponse.Tokens(tokens));
    }

    public static async Task<NoContent> SignOutAsync([FromBody] RefreshRequest request, SessionTokens sessions, CancellationToken cancellationToken)
    {
        if (OpaqueToken.IsWellFormed(request.RefreshToken))
        {
            await sessions.RevokeAsync(request.RefreshToken, cancellationToken);
        }
        return TypedResults.NoContent();
    }
}
