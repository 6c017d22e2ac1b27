namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>What the account page's Two-factor Authentication section says after a change (its <c>notice</c> query).</summary>
public static class TwoFactorNotices
{
    public const string TurnedOn = "two-factor-on";
    public const string TurnedOff = "two-factor-off";
    public const string NewRecoveryCodes = "recovery-codes-new";

    public static string? Sentence(string? notice) => notice switch
    {
        TurnedOn => "Two-factor authentication is on. From now on, sign-ins ask for a code after your password.",
        TurnedOff => "Two-factor authentication is off. We emailed you about this change.",
        NewRecoveryCodes => "You have new recovery codes. The old ones no longer work.",
        _ => null,
    };
}
