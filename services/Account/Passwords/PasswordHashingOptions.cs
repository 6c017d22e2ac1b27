namespace AuthPlatform.Account.Passwords;

/// <summary>
/// Section <c>PasswordHashing</c>: the PBKDF2 work factor, and as many hashes at once as there are cores, a few more
/// waiting.
/// </summary>
public sealed class PasswordHashingOptions
{
    public const string Section = "PasswordHashing";

    /// <summary>
    /// PBKDF2 iterations for new hashes (stored hashes keep theirs, and weaker ones are upgraded at sign-in). Below
    /// OWASP's figure only in Development: test platforms that sign in thousands of times lower it.
    /// </summary>
    public int Iterations { get; set; } = PasswordHasher.OwaspIterations;

    /// <summary>
    /// Hashes that run at once; 0 means one per core. Lower it to leave cores for other work on a shared host.
    /// </summary>
    public int MaxConcurrent { get; set; }

    /// <summary>Hashes that may wait for a slot; one more is refused at once with 503 <c>busy</c>.</summary>
    public int MaxQueued { get; set; } = 4;
}
