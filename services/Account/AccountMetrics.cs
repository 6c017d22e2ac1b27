using System.Diagnostics.Metrics;

namespace AuthPlatform.Account;

/// <summary>The service's own instruments (meter <c>AuthPlatform.Account</c>, exported by ServiceDefaults).</summary>
public sealed class AccountMetrics
{
    public const string MeterName = "AuthPlatform.Account";

    private readonly Counter<long> _signIns;
    private readonly Counter<long> _passwordHashingRefused;

    public AccountMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _signIns = meter.CreateCounter<long>("authplatform.account.sign_ins", unit: "{attempt}",
            description: "Sign-in attempts by step (password, mfa) and outcome: signed_in, remembered_device, mfa_required, wrong_credentials, "
                + "email_not_verified, throttled, busy, mfa_rejected, invalid_mfa_token, unavailable (mfa could not answer: refused, 503).");
        _passwordHashingRefused = meter.CreateCounter<long>("authplatform.account.password_hashing.refused",
            description: "Requests refused with 503 busy because the hashing queue was full");
    }

    /// <summary>One sign-in attempt's step and outcome (<see cref="SignInTags"/>).</summary>
    public void SignInAttempted(string step, string outcome) =>
        _signIns.Add(1, new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("outcome", outcome));

    public void PasswordHashingRefused() => _passwordHashingRefused.Add(1);
}

/// <summary>Values of the sign-in counter's <c>step</c> and <c>outcome</c> tags.</summary>
public static class SignInTags
{
    public const string PasswordStep = "password";
    public const string MfaStep = "mfa";
    public const string PasskeyStep = "passkey";

    public const string SignedIn = "signed_in";
    /// <summary>Signed in with the password on a remembered device: the second factor was skipped.</summary>
    public const string RememberedDevice = "remembered_device";
    public const string MfaRequired = "mfa_required";
    public const string WrongCredentials = "wrong_credentials";
    public const string EmailNotVerified = "email_not_verified";
    public const string Throttled = "throttled";
    public const string Busy = "busy";
    public const string MfaRejected = "mfa_rejected";
    public const string InvalidMfaToken = "invalid_mfa_token";
    public const string Unavailable = "unavailable";
}
