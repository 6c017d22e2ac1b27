using System.Diagnostics.Metrics;

namespace AuthPlatform.Account;

public static class AccountMetrics
{
    public static readonly Meter Meter = new("AuthPlatform.Account");

    public static readonly Counter<long> SignIns = Meter.CreateCounter<long>("authplatform.account.sign_ins", description: "Successful sign-ins");

    public static readonly Counter<long> PasswordHashingRefused = Meter.CreateCounter<long>(
        "authplatform.account.password_hashing.refused", description: "Requests refused with 503 busy because the hashing queue was full");
}
