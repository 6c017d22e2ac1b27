namespace AuthPlatform.Portal.Hosting;

/// <summary>The portal's own settings (section <c>Portal</c>); defaults in appsettings.json.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>How long a browser stays signed in at most; the refresh token decides sooner when it ends.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long the step between password and second factor lasts (the API's mfaToken is shorter anyway).</summary>
    public TimeSpan SignInStepLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often a session is checked with the platform (a refresh-token rotation) even though its access token is
    /// still valid: a session ended elsewhere (sign-out everywhere, a password reset) ends in this browser within it.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one call to the platform's API may take before the page says "try again".</summary>
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsValid() => SessionLifetime > TimeSpan.Zero && SignInStepLifetime > TimeSpan.Zero && SessionCheckInterval > TimeSpan.Zero && ApiTimeout > TimeSpan.Zero;
}
