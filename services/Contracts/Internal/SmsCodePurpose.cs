namespace AuthPlatform.Contracts.Internal;

/// <summary>
/// What an SMS code is for. Each purpose has its own codes and its own send budget at verification, so enrolment
/// attempts (anyone can type any number) never use up the budget of sign-in codes to a number already enrolled.
/// </summary>
public static class SmsCodePurpose
{
    /// <summary>Proving a number that is being enrolled as a second factor.</summary>
    public const string PhoneEnroll = "phone-enroll";

    /// <summary>Signing in with the number already enrolled.</summary>
    public const string SignIn = "sign-in";

    public static bool IsKnown(string? purpose) => purpose is PhoneEnroll or SignIn;
}
