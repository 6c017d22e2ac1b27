namespace AuthPlatform.Contracts.Internal;

/// <summary>mfa → verification: text a one-time code, and check one. The account and the end user's address travel in the service token.</summary>
public static class SmsCodeCalls
{
    public const string Group = "/internal/sms-codes";
    public const string Send = Group;
    public const string Verify = Group + "/verify";
}

/// <param name="Purpose">One of <see cref="SmsCodePurpose"/>.</param>
/// <param name="PhoneNumber">As the user typed it; verification applies the phone policy again.</param>
public sealed record SendSmsCodeRequest(string Purpose, string PhoneNumber);

/// <summary>verification's reply to a sent code: how long the code works, which verification alone decides.</summary>
/// <param name="ExpiresIn">Seconds from now.</param>
public sealed record SmsCodeSent(int ExpiresIn);

/// <param name="PhoneNumber">The number the code must have gone to (E.164): the pending number, or the enrolled one at sign-in.</param>
public sealed record VerifySmsCodeRequest(string Purpose, string PhoneNumber, string Code);
