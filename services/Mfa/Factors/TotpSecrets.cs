using Microsoft.AspNetCore.DataProtection;

namespace AuthPlatform.Mfa.Factors;

/// <summary>TOTP secrets at rest: encrypted with Data Protection, whose key ring lives in mfadb.</summary>
public sealed class TotpSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("AuthPlatform.Mfa.TotpSecret.v1");

    public string Protect(byte[] secret) => _protector.Protect(Convert.ToBase64String(secret));

    public byte[] Unprotect(string protectedSecret) => Convert.FromBase64String(_protector.Unprotect(protectedSecret));
}
