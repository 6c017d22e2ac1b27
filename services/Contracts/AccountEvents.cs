namespace AuthPlatform.Contracts;

// Integration events: past tense, published after the state change is committed (account's outbox).

/// <summary>An account was created: its owner proved the address with a pending registration's link.</summary>
public sealed record AccountRegistered(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>
/// A pending registration (a sign-up not yet proven) needs a "Verify email" message: a new sign-up or a resend.
/// The link is bound to <see cref="RegistrationId"/>, so it proves that sign-up and no other.
/// </summary>
public sealed record EmailVerificationRequested(Guid RegistrationId, string Email, DateTimeOffset OccurredAt);

/// <summary>Someone tried to sign up with an address that already has a verified account.</summary>
public sealed record SignUpAttemptedOnExistingAccount(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>
/// Someone asked for a password-reset link for <see cref="Email"/>, which may or may not have an account. The request
/// does the same work for every address (no timing side channel); account's consumer decides and answers with
/// <see cref="PasswordResetRequested"/> when there is an account.
/// </summary>
public sealed record PasswordResetRequestReceived(string Email, DateTimeOffset OccurredAt);

/// <summary>
/// The owner asked for a password-reset link. <see cref="OccurredAt"/> (account's clock) travels with the link: a link
/// asked for before the password last changed no longer works.
/// </summary>
public sealed record PasswordResetRequested(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>The password was changed (reset or change); every refresh token was revoked.</summary>
public sealed record PasswordChanged(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>An access key (for API and CLI use) was created; the secret is never in the event.</summary>
public sealed record AccessKeyCreated(Guid AccountId, string Email, string Name, string AccessKeyId, DateTimeOffset OccurredAt);

/// <summary>
/// The account signed in on a device it had not signed in on before (no device token of its own came with the
/// sign-in): <see cref="Device"/> is its name in words ("Chrome on Linux"). Account sends at most one per account,
/// client network and kind of device an hour.
/// </summary>
public sealed record SignedInFromNewDevice(Guid AccountId, string Email, string Device, DateTimeOffset OccurredAt);
