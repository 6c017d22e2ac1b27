namespace AuthPlatform.Contracts;

// Integration events: past tense, published after the state change is committed (account's outbox).

/// <summary>A new account was created; its email still needs verifying.</summary>
public sealed record AccountRegistered(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>An unverified account needs a (fresh) "Verify email" message: a repeated sign-up or a resend.</summary>
public sealed record EmailVerificationRequested(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>Someone tried to sign up with an address that already has a verified account.</summary>
public sealed record SignUpAttemptedOnExistingAccount(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>The owner asked for a password-reset link.</summary>
public sealed record PasswordResetRequested(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>The password was changed (reset or change); every refresh token was revoked.</summary>
public sealed record PasswordChanged(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>An access key (for API and CLI use) was created; the secret is never in the event.</summary>
public sealed record AccessKeyCreated(Guid AccountId, string Email, string Name, string AccessKeyId, DateTimeOffset OccurredAt);
