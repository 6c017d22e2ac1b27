namespace AuthPlatform.Account.Tokens;

public sealed class SessionLifetimeOptions
{
    public const string Section = "Sessions";

    /// <summary>A refresh token not used for this long dies (sliding).</summary>
    public TimeSpan IdleLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A session ends this long after its sign-in, however often it is refreshed.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    public bool IsValid() => IdleLifetime > TimeSpan.Zero && AbsoluteLifetime >= IdleLifetime && AbsoluteLifetime <= TimeSpan.FromDays(365);
}
