using AuthPlatform.Mfa.Model;

namespace AuthPlatform.Mfa.Passkeys;

public enum PasskeyResult
{
    Done,
    /// <summary>The credential JSON is not a WebAuthn credential (400).</summary>
    Malformed,
    /// <summary>The challenge is unknown, expired, already used or for something else (400 / 401).</summary>
    ChallengeGone,
    /// <summary>The browser's answer did not verify (origin, RP id, user verification, signature, unknown passkey): <see cref="PasskeyOutcome.Detail"/>.</summary>
    Refused,
    /// <summary>The counter went backwards: the passkey may have been cloned.</summary>
    SignCountRegressed,
    /// <summary>The account already has the most passkeys it may have (409).</summary>
    TooMany,
    /// <summary>No such passkey on the account, or (sign-in) the account has none.</summary>
    NotFound,
}

/// <summary>What a passkey step came to; <see cref="Passkey"/> is the credential concerned when there is one.</summary>
public sealed record PasskeyOutcome(PasskeyResult Result, string? Detail = null, Passkey? Passkey = null, System.Text.Json.JsonElement? Options = null);
