namespace AuthPlatform.Security;

/// <summary>Values shortened for logs: enough to tell them apart, not to read them.</summary>
public static class Redact
{
    /// <summary>"alice@example.com" → "a***@example.com": enough to tell accounts apart in logs, not to read them.</summary>
    public static string Email(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return "(none)";
        }
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}
