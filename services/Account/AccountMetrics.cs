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
        _signIns = meter.CreateCounter<long>("authplatform.account.sign_ins", description: "Successful sign-ins");
        _passwordHashingRefused = meter.CreateCounter<long>("authplatform.account.password_hashing.refused",
            description: "Requests refused with 503 busy because the hashing queue was full");
    }

    public void SignedIn() => _signIns.Add(1);

    public void PasswordHashingRefused() => _passwordHashingRefused.Add(1);
}
