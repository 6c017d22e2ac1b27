using AuthPlatform.Bench.Flows;

namespace AuthPlatform.Bench;

/// <summary>Every flow the command line knows, by the name given as the first argument. Add new flows here.</summary>
public static class FlowCatalog
{
    public static readonly IReadOnlyDictionary<string, Func<IBenchFlow>> All = new Dictionary<string, Func<IBenchFlow>>
    {
        ["signin"] = () => new PasswordSignInFlow(),
        ["mfa-step"] = () => new MfaStepFlow(),
        ["signin-totp"] = () => new SignInTotpFlow(),
        ["client-credentials"] = () => new ClientCredentialsFlow(),
        ["refresh"] = () => new RefreshFlow(),
        ["read-me"] = () => new AuthenticatedReadFlow("read-me", "api/accounts/me"),
        ["read-mfa"] = () => new AuthenticatedReadFlow("read-mfa", "api/mfa"),
        ["signup-email"] = () => new SignUpEmailFlow(),
        ["sms-code"] = () => new SmsCodeFlow(),
    };
}
