using System.Diagnostics.Metrics;

namespace AuthPlatform.Account;

/// <summary>The service's own instruments (meter <c>AuthPlatform.Account</c>, exported by ServiceDefaults).</summary>
public sealed class AccountMetrics
{
    public const string MeterName = "AuthPlatform.Account";

    private readonly Counter<long> signIns;
    private readonly Counter<long> passwordHashingRefused;

    public AccountMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        signIns = meter.CreateCounter<long>("authplatform.account.sign_ins", description: "Successful sign-ins");
        passwordHashingRefused = meter.CreateCounter<long>("authplatform.account.password_hashing.refused",
            description: "Requests refused with 503 busy because the hashing queue was full");
    }

    public void SignedIn() => signIns.Add(1);

    public void PasswordHashingRefused() => passwordHashingRefused.Add(1);
}
