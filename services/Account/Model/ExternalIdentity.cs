namespace AuthPlatform.Account.Model;

/// <summary>
/// A sign-in identity at another provider (Google) linked to an account: the provider's <see cref="Subject"/> is the
/// key, never the address, which can change or be reassigned at the provider.
/// </summary>
public sealed class ExternalIdentity
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>An <c>ExternalSignInCalls</c> provider name ("google").</summary>
    public required string Provider { get; set; }

    /// <summary>The provider's <c>sub</c>.</summary>
    public required string Subject { get; set; }

    /// <summary>The provider's address for the person when it was linked (shown on the account page).</summary>
    public required string Email { get; set; }

    public DateTimeOffset LinkedAt { get; set; }
}
