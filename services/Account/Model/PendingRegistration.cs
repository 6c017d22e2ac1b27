namespace AuthPlatform.Account.Model;

/// <summary>
/// A sign-up whose address is not proven yet. Its password becomes an account's only through the "Verify email"
/// link mailed for this registration: a sign-up by someone else on the same address is a registration of its own
/// and can never be completed by the owner's proof.
/// </summary>
public sealed class PendingRegistration
{
    public Guid Id { get; set; }

    public required string Email { get; set; }

    public required string EmailKey { get; set; }

    public required string PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
