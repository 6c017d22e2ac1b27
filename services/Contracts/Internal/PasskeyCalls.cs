using System.Text.Json;

namespace AuthPlatform.Contracts.Internal;

/// <summary>
/// account → mfa for a passkey sign-in: options (a challenge) for the browser, then the browser's assertion to check.
/// With an account in the service token the passkey is that account's second factor (its credentials are listed);
/// without one it is a first factor and the browser offers any passkey it holds for this site (discoverable).
/// </summary>
public static class PasskeyCalls
{
    public const string AssertionOptions = MfaCalls.Group + "/passkeys/assertion-options";
    public const string VerifyAssertion = MfaCalls.Group + "/passkeys/verify";

    /// <summary>The longest name a passkey may have (mfa checks it; the portal's field says it).</summary>
    public const int MaxNameLength = 64;
}

/// <param name="Options">WebAuthn PublicKeyCredentialRequestOptions as JSON (binary fields base64url), for navigator.credentials.get.</param>
public sealed record PasskeyAssertionOptions(JsonElement Options);

/// <param name="Credential">The browser's PublicKeyCredential as JSON (binary fields base64url).</param>
public sealed record VerifyPasskeyRequest(JsonElement Credential);

/// <summary>mfa's answer to a checked assertion.</summary>
/// <param name="Synced">The passkey may be copied to other devices (backup eligible): <c>amr</c> "swk"; otherwise "hwk".</param>
/// <param name="SignCountRegressed">The assertion was refused because its counter went backwards (a possible clone): account emails the owner.</param>
public sealed record PasskeyVerification(bool Accepted, Guid? AccountId, string? PasskeyName, bool Synced, bool SignCountRegressed = false);
