namespace AuthPlatform.Contracts.Internal;

/// <summary>account → verification: spend a one-time link token (a password reset spends its link before the password changes).</summary>
public static class TokenRedemptionCalls
{
    public const string Group = "/internal/tokens";
    public const string Redeem = Group + "/redeem";
}

public sealed record RedeemTokenRequest(string Token, string Purpose);

/// <param name="RequestedAt">For password-reset links: when account asked for the link (account's clock).</param>
public sealed record RedeemedToken(Guid AccountId, string Email, DateTimeOffset? RequestedAt = null);

/// <summary>What a link token is for; a token redeems only for its own purpose.</summary>
public static class TokenPurpose
{
    public const string EmailVerify = "email-verify";
    public const string PasswordReset = "password-reset";

    public static bool IsKnown(string? purpose) => purpose is EmailVerify or PasswordReset;
}
