namespace AuthPlatform.Portal.Pages.Account;

/// <summary>
/// The account pages' short-lived state between steps, each kept sealed in its own cookie (<see cref="SealedCookie"/>):
/// a setup in progress, recovery codes until their owner saved them, a new key's secret until it was shown once.
/// </summary>
public static class AccountSteps
{
    public const string AuthenticatorSetupCookie = "portal.setup-app";
    public const string PhoneSetupCookie = "portal.setup-sms";
    public const string RecoveryCodesCookie = "portal.recovery-codes";
    public const string NewAccessKeyCookie = "portal.new-key";

    /// <summary>How long recovery codes or a new secret can still be shown (and downloaded) after they were made.</summary>
    public static readonly TimeSpan ShownOnceLifetime = TimeSpan.FromMinutes(10);
}

/// <summary>An authenticator-app setup waiting for its first code: the otpauth URI (its secret inside).</summary>
public sealed record PendingAuthenticator(string OtpauthUri, string Secret);

/// <summary>A phone waiting for its texted code; <see cref="Reconfiguring"/> when it replaces a factor that is on.</summary>
public sealed record PendingPhone(string PhoneNumber, string MaskedNumber, DateTimeOffset ExpiresAt, bool Reconfiguring);

/// <summary>Recovery codes just made: shown, downloadable, until "I saved them".</summary>
public sealed record FreshRecoveryCodes(IReadOnlyList<string> Codes, bool TwoFactorJustTurnedOn);

/// <summary>An access key just created: its secret is shown on the next page, once.</summary>
public sealed record FreshAccessKey(string Name, string AccessKeyId, string Secret);
