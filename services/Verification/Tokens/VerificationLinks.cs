namespace AuthPlatform.Verification.Tokens;

/// <summary>Links in emails point at the gateway's public URL.</summary>
public sealed class VerificationLinks(IConfiguration configuration)
{
    private readonly string _base = (configuration["PublicBaseUrl"] ?? "http://localhost:8080").TrimEnd('/');

    public string VerifyEmail(string token) => $"{_base}/verify-email?token={Uri.EscapeDataString(token)}";

    public string ResetPassword(string token) => $"{_base}/reset-password?token={Uri.EscapeDataString(token)}";

    /// <summary>A stable id for the email that answers one event, so a redelivered event sends no second email.</summary>
    public static Guid EmailMessageId(Guid? eventMessageId, string template)
    {
        if (eventMessageId is not { } id)
        {
            return Guid.NewGuid();
        }
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{id:N}:{template}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
