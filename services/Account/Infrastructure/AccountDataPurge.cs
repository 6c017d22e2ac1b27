using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Infrastructure;

/// <summary>
/// Deletes what can never be used again: expired registrations and remembered devices, and refresh tokens that expired or were revoked
/// more than a day ago (kept that long for investigations). Every replica runs it; the deletes are idempotent.
/// </summary>
public sealed partial class AccountDataPurge(
    IServiceScopeFactory scopes, IOptions<DataPurgeOptions> options, TimeProvider time, ILogger<AccountDataPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A first pass soon after start, then every interval.
        var delay = TimeSpan.FromSeconds(Math.Min(30, options.Value.Interval.TotalSeconds));
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
            delay = options.Value.Interval;
        }
    }

    public async Task<(int Registrations, int RefreshTokens)> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountDbContext>();
        var now = time.GetUtcNow();
        var registrations = await db.PendingRegistrations.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var revokedBefore = now - options.Value.KeepRevokedFor;
        var tokens = await db.RefreshTokens.Where(t => t.ExpiresAt <= now || t.RevokedAt < revokedBefore).ExecuteDeleteAsync(cancellationToken);
        await db.RememberedDevices.Where(d => d.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
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
