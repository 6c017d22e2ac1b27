namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// The API's sealed device token for this browser (docs/api.md, Known devices), kept in its own HttpOnly cookie so
/// that someone guessing from the same network cannot lock this browser's owner out.
/// </summary>
public sealed record DeviceToken(string Value);
