namespace AuthPlatform.Contracts.Internal;

/// <summary>account → mfa during sign-in: whether 2FA is on, check a factor, text the sign-in code.</summary>
public static class MfaCalls
{
    public const string Group = "/internal/mfa";
    public const string Status = Group;
    public const string Verify = Group + "/verify";
    public const string SmsChallenge = Group + "/sms-challenge";
}

/// <param name="Method">One of <see cref="FactorMethod"/>.</param>
public sealed record VerifyFactorRequest(string Method, string Code, string Email);
