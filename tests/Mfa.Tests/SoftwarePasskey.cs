using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuthPlatform.Mfa.Tests;

/// <summary>
/// A WebAuthn authenticator in software (ES256, "none" attestation), answering the platform's options the way a
/// browser and a passkey would, with knobs an attacker or a cloned key would turn: the origin, the RP id, the user
/// verification flag and the signature counter.
/// </summary>
public sealed class SoftwarePasskey(string origin, string rpId) : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(32);

    public byte[] UserHandle { get; private set; } = [];

    /// <summary>The counter the next answer carries (a real authenticator counts up by itself).</summary>
    public uint Counter { get; set; }

    /// <summary>The browser's answer to navigator.credentials.create with these options.</summary>
    public JsonObject Register(JsonElement options)
    {
        UserHandle = Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString());
        var clientData = ClientData("webauthn.create", options, origin);
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        var cose = new CborWriter(CborConformanceMode.Lax);
        cose.WriteStartMap(5);
        cose.WriteInt32(1); cose.WriteInt32(2);     // kty: EC2
        cose.WriteInt32(3); cose.WriteInt32(-7);    // alg: ES256
        cose.WriteInt32(-1); cose.WriteInt32(1);    // crv: P-256
        cose.WriteInt32(-2); cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3); cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();
        byte[] credentialIdLength = [(byte)(CredentialId.Length >> 8), (byte)CredentialId.Length];
        byte[] authenticatorData = [.. AuthenticatorData(rpId, 0x01 | 0x04 | 0x40), .. new byte[16], .. credentialIdLength, .. CredentialId, .. cose.Encode()];
        var attestation = new CborWriter(CborConformanceMode.Lax);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt"); attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt"); attestation.WriteStartMap(0); attestation.WriteEndMap();
        attestation.WriteTextString("authData"); attestation.WriteByteString(authenticatorData);
        attestation.WriteEndMap();
        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["attestationObject"] = Base64Url.EncodeToString(attestation.Encode()),
            ["transports"] = new JsonArray("internal"),
        });
    }

    /// <summary>The browser's answer to navigator.credentials.get; by default a correct one.</summary>
    public JsonObject Assert(JsonElement options, string? fromOrigin = null, string? forRpId = null, bool userVerified = true)
    {
        var clientData = ClientData("webauthn.get", options, fromOrigin ?? origin);
        var authenticatorData = AuthenticatorData(forRpId ?? rpId, (byte)(0x01 | (userVerified ? 0x04 : 0)));
        var signature = _key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);
        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
            ["signature"] = Base64Url.EncodeToString(signature),
            ["userHandle"] = Base64Url.EncodeToString(UserHandle),
        });
    }

    private byte[] AuthenticatorData(string forRpId, byte flags)
    {
        var counter = Counter;
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(forRpId)), flags, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter];
    }

    private static byte[] ClientData(string type, JsonElement options, string fromOrigin) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type, challenge = options.GetProperty("challenge").GetString(), origin = fromOrigin, crossOrigin = false });

    private JsonObject Credential(JsonObject response) => new()
    {
        ["id"] = Base64Url.EncodeToString(CredentialId),
        ["rawId"] = Base64Url.EncodeToString(CredentialId),
        ["type"] = "public-key",
        ["response"] = response,
        ["clientExtensionResults"] = new JsonObject(),
    };

    public void Dispose() => _key.Dispose();
}
