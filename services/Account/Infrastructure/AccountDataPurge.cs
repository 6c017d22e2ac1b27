using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Infrastructure;

/// <summary>
/// Deletes what can never be used again: expired registrations, and refresh tokens that expired or were revoked
/// more than a day ago (kept that long for investigations). Every replica runs it; the deletes are idempotent.
/// </summary>
public sealed partial class AccountDataPurge(IServiceScopeFactory scopes, TimeProvider time, ILogger<AccountDataPurge> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeepRevokedFor = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A first pass soon after start, then hourly.
        var delay = TimeSpan.FromSeconds(30);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, time, stoppingToken);
                await PurgeOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex);
            }
            delay = Interval;
        }
    }

    public async Task<(int Registrations, int RefreshTokens)> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountDbContext>();
        var now = time.GetUtcNow();
        var registrations = await db.PendingRegistrations.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var revokedBefore = now - KeepRevokedFor;
        var tokens = await db.RefreshTokens.Where(t => t.ExpiresAt <= now || t.RevokedAt < revokedBefore).ExecuteDeleteAsync(cancellationToken);
        if (registrations + tokens > 0)
        {
            LogPurged(registrations, tokens);
        }
        return (registrations, tokens);
    }

    [LoggerMessage(LogLevel.Information, "Purged {Registrations} expired registrations and {RefreshTokens} dead refresh tokens")]
    private partial void LogPurged(int registrations, int refreshTokens);

    [LoggerMessage(LogLevel.Warning, "Purging expired account data failed; trying again later")]
    private partial void LogFailed(Exception exception);
}
