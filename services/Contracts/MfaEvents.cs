namespace AuthPlatform.Contracts;

// Published by mfa (through its outbox) when an account's second factor changes.

/// <summary>Two-factor authentication was turned on (or reconfigured) with <see cref="Method"/> (<see cref="FactorMethod"/>).</summary>
/// <see cref="SessionId"/> is the session that enrolled it: every other session of the account ends.
public sealed record MfaEnabled(Guid AccountId, string Email, string Method, bool Reconfigured, DateTimeOffset OccurredAt, Guid? SessionId = null);

/// <summary>Two-factor authentication was turned off.</summary>
public sealed record MfaDisabled(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>A recovery code was used ("Can't access two-factor device"); <see cref="Remaining"/> codes are left.</summary>
public sealed record RecoveryCodeUsed(Guid AccountId, string Email, int Remaining, DateTimeOffset OccurredAt);

/// <summary>Someone failed a second factor <see cref="ConsecutiveFailures"/> times in a row: the password is probably known.</summary>
public sealed record MfaFailuresDetected(Guid AccountId, string Email, int ConsecutiveFailures, DateTimeOffset OccurredAt);

/// <summary>New recovery codes were generated; the old ones stopped working.</summary>
public sealed record RecoveryCodesRegenerated(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>
/// A correct TOTP code was refused because it had been used already: someone may be watching the owner type codes.
/// Published at most once per account per alert interval (mfa decides).
/// </summary>
public sealed record TotpReplayRejected(Guid AccountId, string Email, DateTimeOffset OccurredAt);

/// <summary>A passkey named <see cref="Name"/> was added to the account.</summary>
public sealed record PasskeyAdded(Guid AccountId, string Email, string Name, DateTimeOffset OccurredAt);

/// <summary>The passkey named <see cref="Name"/> was removed from the account.</summary>
public sealed record PasskeyRemoved(Guid AccountId, string Email, string Name, DateTimeOffset OccurredAt);

/// <summary>
/// A passkey answered with a signature counter lower than (or equal to) the last one seen: the authenticator may have
/// been cloned. The sign-in was refused. Published by account, which knows the address, from mfa's answer.
/// </summary>
public sealed record PasskeySignCountRegressed(Guid AccountId, string Email, string Name, DateTimeOffset OccurredAt);
