namespace AuthPlatform.Account.Passwords;

/// <summary>Section <c>PasswordHashing</c>: as many hashes run at once as there are cores; a few more may wait.</summary>
public sealed class PasswordHashingOptions
{
    public const string Section = "PasswordHashing";

    /// <summary>Hashes that may wait for a core; one more is refused at once with 503 <c>busy</c>.</summary>
    public int MaxQueued { get; set; } = 4;
}
