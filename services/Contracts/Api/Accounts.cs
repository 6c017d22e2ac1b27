namespace AuthPlatform.Contracts.Api;

// The public JSON of /api/accounts and /api/verification: account and verification answer with these types, and the
// portal sends and reads them. Requests refuse fields they do not name (docs/api.md).

public sealed record SignUpRequest(string Email, string Password);

public sealed record ConfirmEmailRequest(string Token);

public sealed record ResendEmailRequest(string Email);

public sealed record PasswordResetRequest(string Email);

public sealed record PasswordResetConfirmRequest(string Token, string NewPassword);

public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

public sealed record AccountMfaSummary(bool Enabled, string? Method);

public sealed record AccountProfile(Guid Id, string Email, bool EmailVerified, AccountMfaSummary Mfa);

/// <summary>A linked identity as its owner sees it.</summary>
public sealed record ExternalIdentityView(Guid Id, string Provider, string Email, DateTimeOffset LinkedAt);

/// <summary>How the account signs in: a password (or none yet) and the linked identities.</summary>
public sealed record SignInMethodsView(bool HasPassword, IReadOnlyList<ExternalIdentityView> Identities);

public sealed record LinkIdentityRequest(string LinkToken);

public sealed record CreateAccessKeyRequest(string Name);

/// <summary>A key just created: its secret appears only in this answer.</summary>
public sealed record CreatedAccessKey(Guid Id, string Name, string AccessKeyId, string Secret, DateTimeOffset CreatedAt);

public sealed record AccessKeySummary(Guid Id, string Name, string AccessKeyId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>An app a person has allowed (a permanent OpenID Connect authorization), for the portal's "Connected apps".</summary>
public sealed record ConnectedApp(string ClientId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? AllowedAt);
