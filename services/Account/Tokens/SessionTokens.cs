using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Throttling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Tokens;

public sealed record IssuedTokens(string AccessToken, string? RefreshToken, int ExpiresIn)
{
    /// <summary>The tokens as the API answers them; with the device's token and until when it is remembered, if it is.</summary>
    public SignInResponse ToResponse(IssuedDeviceToken? device = null, DateTimeOffset? deviceRememberedUntil = null) =>
        new(AccessToken, RefreshToken, ExpiresIn, "Bearer", DeviceToken: device?.Value, DeviceRememberedUntil: deviceRememberedUntil,
            DeviceTokenExpiresAt: device?.ExpiresAt);
}

/// <summary>
/// Refresh-token families: issue on sign-in, rotate on refresh, revoke on sign-out or password change. Every
/// issue happens under a share lock on the account row and checks its <see cref="UserAccount.SessionsValidAfter"/>,
/// so a sign-in or refresh that races a password reset (which takes the row lock) either finishes before it and
/// is revoked by it, or sees it and fails.
/// </summary>
public sealed class SessionTokens(AccountDbContext db, AccessTokenIssuer accessTokens, IOptions<SessionLifetimeOptions> options, TimeProvider time)
{
    /// <summary>Starts a session proven at <paramref name="provenAt"/>; null when the account's sessions were ended since.</summary>
    public async Task<IssuedTokens?> StartAsync(UserAccount account, IReadOnlyCollection<string> methods, DateTimeOffset provenAt,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var familyId = Guid.CreateVersion7();
        var familyExpiresAt = now + options.Value.AbsoluteLifetime;
        var link = DraftLink(now);
        var joinedMethods = string.Join(' ', methods);
        // One statement: the first link is inserted only while the account's session stamp, read under a share lock
        // held until the insert commits, is not after the proof (a password reset waits for it, or it sees the reset).
        var started = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO refresh_tokens ("Id", "AccountId", "FamilyId", "TokenHash", "AuthenticationMethods", "CreatedAt",
                                        "StartedAt", "AuthenticatedAt", "ExpiresAt", "FamilyExpiresAt")
            SELECT {link.Id}, a."Id", {familyId}, {link.TokenHash}, {joinedMethods}, {now},
                   {now}, {provenAt}, LEAST({link.IdleEnd}, {familyExpiresAt}), {familyExpiresAt}
            FROM accounts a
            WHERE a."Id" = {account.Id} AND a."SessionsValidAfter" <= {provenAt}
            FOR SHARE
            """, cancellationToken);
        if (started == 0)
        {
            return null;
        }
        return await TokensAsync(account.Id, account.Email, joinedMethods, new SessionClaims(familyId, provenAt), link.Token, cancellationToken);
    }

    /// <summary>Spends <paramref name="refreshToken"/> and issues its successor; null when it cannot be used.</summary>
    public async Task<IssuedTokens?> RotateAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = OpaqueToken.Hash(refreshToken);
        var next = DraftLink(now);
        // One statement, one round trip: read the token with its account's email and session stamp, share-locking
        // the account row (the lock a password reset takes exclusively, always before token rows, as every writer
        // does); spend the token if it is live, unspent and proven after the stamp; insert the successor only if the
        // spend happened. Of two concurrent refreshes with one token the second's UPDATE waits for the first and then
        // finds it spent, so exactly one wins.
        var found = await db.Database.SqlQuery<RotationCandidate>($"""
            WITH current_token AS (
                SELECT t."Id", t."AccountId", t."FamilyId", t."AuthenticationMethods", t."StartedAt", t."AuthenticatedAt",
                       t."ExpiresAt", t."FamilyExpiresAt", t."RevokedAt", a."Email", a."SessionsValidAfter"
                FROM refresh_tokens t JOIN accounts a ON a."Id" = t."AccountId"
                WHERE t."TokenHash" = {hash}
                FOR SHARE OF a
            ), spent AS (
                UPDATE refresh_tokens t SET "SpentAt" = {now}
                FROM current_token c
                WHERE t."TokenHash" = {hash} AND t."Id" = c."Id" AND t."SpentAt" IS NULL AND t."RevokedAt" IS NULL
                  AND c."ExpiresAt" > {now} AND c."FamilyExpiresAt" > {now} AND c."SessionsValidAfter" <= c."AuthenticatedAt"
                RETURNING t."Id"
            ), successor AS (
                INSERT INTO refresh_tokens ("Id", "AccountId", "FamilyId", "TokenHash", "AuthenticationMethods", "CreatedAt",
                                            "StartedAt", "AuthenticatedAt", "ExpiresAt", "FamilyExpiresAt")
                SELECT {next.Id}, c."AccountId", c."FamilyId", {next.TokenHash}, c."AuthenticationMethods", {now},
                       c."StartedAt", c."AuthenticatedAt", LEAST({next.IdleEnd}, c."FamilyExpiresAt"), c."FamilyExpiresAt"
                FROM current_token c JOIN spent s ON s."Id" = c."Id"
                RETURNING "Id"
            )
            SELECT c.*, EXISTS (SELECT 1 FROM successor) AS "Issued" FROM current_token c
            """).ToListAsync(cancellationToken);
        if (found is not [var current] || current.RevokedAt is not null || current.ExpiresAt <= now || current.FamilyExpiresAt <= now)
        {
            return null;
        }
        if (!current.Issued)
        {
            // Proven before the account's sessions were ended, or a spent token presented again (someone holds a
            // copy): end the whole session family.
            await RevokeFamilyAsync(current.FamilyId, cancellationToken);
            return null;
        }
        return await TokensAsync(current.AccountId, current.Email, current.AuthenticationMethods,
            new SessionClaims(current.FamilyId, current.AuthenticatedAt), next.Token, cancellationToken);
    }

    /// <summary>
    /// Records a fresh proof for the caller's session and answers a new access token carrying it (the refresh
    /// token stays the same); null when the session has ended.
    /// </summary>
    public async Task<IssuedTokens?> ReauthenticateAsync(UserAccount account, Guid sessionId, DateTimeOffset provenAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await SessionsValidAfterAsync(account.Id, cancellationToken) is not { } validAfter || validAfter > provenAt)
        {
            return null;
        }
        var live = await db.RefreshTokens.Where(t => t.FamilyId == sessionId && t.AccountId == account.Id && t.SpentAt == null
                && t.RevokedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AuthenticatedAt, provenAt), cancellationToken);
        if (live == 0)
        {
            return null;
        }
        var link = await db.RefreshTokens.AsNoTracking().FirstAsync(t => t.FamilyId == sessionId && t.SpentAt == null && t.RevokedAt == null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await TokensAsync(account.Id, account.Email, link.AuthenticationMethods, new SessionClaims(link.FamilyId, link.AuthenticatedAt),
            refreshToken: null, cancellationToken);
    }

    public async Task<IReadOnlyList<SessionSummary>> ListAsync(Guid accountId, Guid? currentSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var live = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.AccountId == accountId && t.SpentAt == null && t.RevokedAt == null && t.ExpiresAt > now)
            .OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
        return [.. live.Select(t => new SessionSummary(t.FamilyId, t.StartedAt, t.AuthenticatedAt, t.CreatedAt, t.ExpiresAt,
            t.AuthenticationMethods.Split(' '), t.FamilyId == currentSessionId))];
    }

    /// <summary>Sign-out: ends the family the token belongs to. Unknown tokens are ignored.</summary>
    public async Task RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = OpaqueToken.Hash(refreshToken);
        var familyId = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).SingleOrDefaultAsync(cancellationToken);
        if (familyId is { } family)
        {
            await RevokeFamilyAsync(family, cancellationToken);
        }
    }

    /// <summary>Ends one of the account's sessions; false when it has no such live session.</summary>
    public async Task<bool> RevokeAsync(Guid accountId, Guid sessionId, CancellationToken cancellationToken) =>
        await db.RefreshTokens.Where(t => t.AccountId == accountId && t.FamilyId == sessionId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, time.GetUtcNow()), cancellationToken) > 0;

    public Task<int> RevokeAllAsync(Guid accountId, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => t.AccountId == accountId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, time.GetUtcNow()), cancellationToken);

    /// <summary>Every session but <paramref name="keep"/> ends ("sign out everywhere else", a factor enrolled, a password change).</summary>
    /// <summary>
    /// Ends the account's sessions other than <paramref name="keep"/> that existed at <paramref name="asOf"/> (default: now):
    /// started by then, or proven by then (a password proven before a factor was turned on, whose session was created
    /// just after). An event handled late passes the time it happened, so a session signed in since then survives.
    /// </summary>
    public Task<int> RevokeOthersAsync(Guid accountId, Guid? keep, CancellationToken cancellationToken, DateTimeOffset? asOf = null)
    {
        var now = time.GetUtcNow();
        var cutoff = asOf ?? now;
        return db.RefreshTokens.Where(t => t.AccountId == accountId && t.RevokedAt == null && t.FamilyId != keep
                && (t.StartedAt <= cutoff || t.AuthenticatedAt <= cutoff))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
    }

    private Task<int> RevokeFamilyAsync(Guid familyId, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, time.GetUtcNow()), cancellationToken);

    /// <summary>Reads the stamp under a share lock held until the transaction ends; null for a deleted account.</summary>
    private async Task<DateTimeOffset?> SessionsValidAfterAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var stamps = await db.Database
            .SqlQuery<DateTimeOffset>($"""SELECT "SessionsValidAfter" AS "Value" FROM accounts WHERE "Id" = {accountId} FOR SHARE""")
            .ToListAsync(cancellationToken);
        return stamps.Count == 1 ? stamps[0] : null;
    }

    /// <summary>
    /// A family's next link before it is stored: the token handed out once, the hash stored instead, and the end of
    /// its idle lifetime (stored no later than the family's end).
    /// </summary>
    private LinkDraft DraftLink(DateTimeOffset now)
    {
        var token = OpaqueToken.New(32);
        return new LinkDraft(Guid.NewGuid(), token, OpaqueToken.Hash(token), now + options.Value.IdleLifetime);
    }

    private sealed record LinkDraft(Guid Id, string Token, string TokenHash, DateTimeOffset IdleEnd);

    private async Task<IssuedTokens> TokensAsync(Guid accountId, string email, string methods, SessionClaims session, string? refreshToken,
        CancellationToken cancellationToken)
    {
        var accessToken = await accessTokens.IssueAsync(accountId, email, methods.Split(' '), session, cancellationToken);
        return new IssuedTokens(accessToken, refreshToken, (int)AccessTokenIssuer.Lifetime.TotalSeconds);
    }

    /// <summary>A refresh token as rotation reads it, with what it needs of the account, and whether its successor was issued.</summary>
    private sealed record RotationCandidate(Guid Id, Guid AccountId, Guid FamilyId, string AuthenticationMethods, DateTimeOffset StartedAt,
        DateTimeOffset AuthenticatedAt, DateTimeOffset ExpiresAt, DateTimeOffset FamilyExpiresAt, DateTimeOffset? RevokedAt, string Email,
        DateTimeOffset SessionsValidAfter, bool Issued);
}
