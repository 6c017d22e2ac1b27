using System.Security.Claims;
using System.Security.Cryptography;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Apis;

/// <summary>
/// Access keys for API and CLI use, which keep working when 2FA is on. Creating one needs a session that passed
/// the account's second factor; a token obtained with a key can never create keys.
/// </summary>
public static class AccessKeyApi
{
    public const int MaxActiveKeys = 10;
    public const int MaxNameLength = 100;
    public const string KeyIdPrefix = "apk_";
    public const string SecretPrefix = "aps_";
    private const string KeyIdAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static IEndpointRouteBuilder MapAccessKeyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/access-keys").WithTags("Access keys").RequireAuthorization();
        api.MapPost("/", CreateAsync).RequireRecentSignIn()
            .WithSummary("Create an access key; the secret is shown only in this response")
            .WithDescription("Needs a session token (not one from an access key) whose sign-in is at most 10 minutes old (403 reauthentication-required otherwise).");
        api.MapGet("/", ListAsync).WithSummary("The account's active access keys (never a secret)");
        api.MapDelete("/{id:guid}", RevokeAsync).WithSummary("Revoke an access key");
        return app;
    }

    public static async Task<Results<Created<CreatedAccessKey>, ProblemHttpResult, UnauthorizedHttpResult>> CreateAsync(
        CreateAccessKeyRequest request, ClaimsPrincipal user, AccountDbContext db, MfaClient mfa, IEventOutbox outbox,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } accountId)
        {
            return TypedResults.Unauthorized();
        }
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
        {
            return Problems.Invalid($"name must be 1 to {MaxNameLength} characters, without control characters.");
        }
        var methods = user.FindAll("amr").Select(c => c.Value).ToHashSet();
        if ((await mfa.GetStateAsync(accountId, cancellationToken)).Enabled && !methods.Contains("mfa"))
        {
            return TypedResults.Problem("Two-factor authentication is on: sign in with your second factor to create access keys.",
                statusCode: 403, title: "Two-factor sign-in required", type: ProblemTypes.Base + "mfa-required");
        }
        var account = await db.FindAccountAsync(accountId, cancellationToken);
        if (account is null)
        {
            return TypedResults.Unauthorized();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Serialise creations per account so that concurrent requests cannot pass the limit together.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"authplatform.access-keys." + accountId}))", cancellationToken);
        if (await db.AccessKeys.CountAsync(k => k.AccountId == accountId && k.RevokedAt == null, cancellationToken) >= MaxActiveKeys)
        {
            return TypedResults.Problem($"An account can have at most {MaxActiveKeys} active access keys. Revoke one first.",
                statusCode: 409, title: "Too many access keys", type: ProblemTypes.Base + "access-key-limit");
        }
        var secret = OpaqueToken.New(32, SecretPrefix);
        var key = new AccessKey
        {
            Id = Guid.CreateVersion7(),
            AccountId = accountId,
            Name = name,
            AccessKeyId = KeyIdPrefix + string.Concat(Enumerable.Range(0, 20).Select(_ => KeyIdAlphabet[RandomNumberGenerator.GetInt32(KeyIdAlphabet.Length)])),
            SecretHash = OpaqueToken.Hash(secret),
            CreatedAt = time.GetUtcNow(),
        };
        db.AccessKeys.Add(key);
        outbox.Stage(new AccessKeyCreated(accountId, account.Email, name, key.AccessKeyId, key.CreatedAt));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/access-keys/{key.Id}", new CreatedAccessKey(key.Id, key.Name, key.AccessKeyId, secret, key.CreatedAt));
    }

    public static async Task<Results<Ok<List<AccessKeySummary>>, UnauthorizedHttpResult>> ListAsync(
        ClaimsPrincipal user, AccountDbContext db, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } accountId)
        {
            return TypedResults.Unauthorized();
        }
        return TypedResults.Ok(await db.AccessKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId && k.RevokedAt == null)
            .OrderBy(k => k.CreatedAt)
            .Select(k => new AccessKeySummary(k.Id, k.Name, k.AccessKeyId, k.CreatedAt, k.LastUsedAt))
            .ToListAsync(cancellationToken));
    }

    /// <summary>
    /// Waits for any token request holding the key's row to finish, so once this returns no request can mint a
    /// token with the key.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, UnauthorizedHttpResult>> RevokeAsync(
        Guid id, ClaimsPrincipal user, AccountDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } accountId)
        {
            return TypedResults.Unauthorized();
        }
        var revoked = await db.AccessKeys
            .Where(k => k.Id == id && k.AccountId == accountId && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, time.GetUtcNow()), cancellationToken);
        return revoked == 1 ? TypedResults.NoContent() : TypedResults.NotFound();
    }
}
