using System.Collections.Concurrent;
using AuthPlatform.Security;

namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// One refresh per refresh token: two requests of one browser arriving together (two tabs, a form and a reload)
/// would otherwise both present the same refresh token, and the platform treats the second presentation as a
/// stolen token and ends the session. The second request gets the first one's answer instead.
/// </summary>
public sealed class RefreshSingleFlight(TimeProvider time)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (Lazy<Task<ApiResult<SignInResponse>>> Refresh, DateTimeOffset StartedAt)> _inFlight = new();

    public Task<ApiResult<SignInResponse>> RefreshAsync(string refreshToken, Func<Task<ApiResult<SignInResponse>>> refresh)
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _inFlight)
        {
            if (now - entry.StartedAt > Remembered)
            {
                _inFlight.TryRemove(key, out _);
            }
        }
        return _inFlight.GetOrAdd(OpaqueToken.Hash(refreshToken), _ => (new Lazy<Task<ApiResult<SignInResponse>>>(refresh), now)).Refresh.Value;
    }
}
