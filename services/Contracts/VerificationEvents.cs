namespace AuthPlatform.Contracts;

/// <summary>The owner of <see cref="Email"/> proved control of it with the link of pending registration <see cref="RegistrationId"/>.</summary>
public sealed record EmailVerified(Guid RegistrationId, string Email, DateTimeOffset OccurredAt);

/// <summary>
/// Someone asked to resend the verification email. Verification does not know accounts, so account decides
/// whether there is a pending registration to write to (and answers with <see cref="EmailVerificationRequested"/>).
/// </summary>
public sealed record EmailVerificationResendRequested(string Email, DateTimeOffset OccurredAt);
