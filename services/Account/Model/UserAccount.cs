namespace AuthPlatform.Account.Model;

/// <summary>An account exists only once its address was proven (see <see cref="PendingRegistration"/>).</summary>
public sealed class UserAccount
{
    public Guid Id { get; set; }

    /// <summary>As the owner typed it, trimmed, with the domain lower-cased.</summary>
    public required string Email { get; set; }

    /// <summary>Lower-cased <see cref="Email"/>: one account per address, whatever the case.</summary>
    public required string EmailKey { get; set; }

    /// <summary>
    /// Algorithm, parameters, salt and hash in one string (see PasswordHasher); empty for an account made through an
    /// external identity (Google) until its owner sets a password through "forgot password".
    /// </summary>
    public required string PasswordHash { get; set; }

    /// <summary>Whether a password can sign this account in (see <see cref="PasswordHash"/>).</summary>
    public bool HasPassword => PasswordHash.Length > 0;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset PasswordChangedAt { get; set; }

    /// <summary>
    /// Sessions that proved themselves before this instant are dead (password reset or change, "sign out
    /// everywhere"). Checked under a share lock on this row whenever a session starts or refreshes, so a sign-in or
    /// refresh racing a reset cannot outlive it.
    /// </summary>
    public DateTimeOffset SessionsValidAfter { get; set; }
}
