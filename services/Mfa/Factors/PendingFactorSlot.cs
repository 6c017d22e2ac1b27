using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Factors;

/// <summary>
/// The one setup an account can have pending. Starting a setup replaces whatever was pending in one statement: two
/// starts at once (a double click, two tabs) leave the later one pending, where a delete and then an insert let both
/// inserts race for the key and answered the loser 503.
/// </summary>
public sealed class PendingFactorSlot(MfaDbContext db)
{
    public Task ReplaceAsync(PendingFactor pending, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO pending_factors ("AccountId", "Method", "ProtectedSecret", "PhoneNumber", "CreatedAt", "ExpiresAt")
            VALUES ({pending.AccountId}, {pending.Method}, {pending.ProtectedSecret}, {pending.PhoneNumber}, {pending.CreatedAt}, {pending.ExpiresAt})
            ON CONFLICT ("AccountId") DO UPDATE SET "Method" = excluded."Method", "ProtectedSecret" = excluded."ProtectedSecret",
                "PhoneNumber" = excluded."PhoneNumber", "CreatedAt" = excluded."CreatedAt", "ExpiresAt" = excluded."ExpiresAt"
            """, cancellationToken);
}
