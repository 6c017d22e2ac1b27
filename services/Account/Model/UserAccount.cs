namespace AuthPlatform.Account.Model;

public sealed class UserAccount
{
    public Guid Id { get; set; }

    /// <summary>As the owner typed it, trimmed, with the domain lower-cased.</summary>
    public required string Email { get; set; }

    /// <summary>Lower-cased <see cref="Email"/>: one account per address, whatever the case.</summary>
    public required string EmailKey { get; set; }

    public bool EmailVerified { get; set; }

    /// <summary>Algorithm, parameters, salt and hash in one string (see PasswordHasher).</summary>
    public required string PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset PasswordChangedAt { get; set; }
}
