using System.Text.Json;
using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using AuthPlatform.Outbox;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Mfa.Passkeys;

/// <summary>
/// Adding a passkey: options with a fresh challenge (a discoverable credential with user verification, no
/// attestation, the account's passkeys excluded), then the browser's new credential checked against that challenge
/// and stored with the owner's email in one transaction.
/// </summary>
public sealed partial class PasskeyRegistration(MfaDbContext db, IFido2 fido2, PasskeyChallenges challenges, IEventOutbox outbox,
    IOptions<PasskeyOptions> options, TimeProvider time, MfaMetrics metrics, ILogger<PasskeyRegistration> logger)
{
    public async Task<PasskeyOutcome> StartAsync(Guid accountId, string email, CancellationToken cancellationToken)
    {
        var existing = await db.Passkeys.AsNoTracking().Where(p => p.AccountId == accountId).Select(p => p.CredentialId).ToListAsync(cancellationToken);
        if (existing.Count >= options.Value.MaxPerAccount)
        {
            return new(PasskeyResult.TooMany, $"An account can have at most {options.Value.MaxPerAccount} passkeys. Remove one first.");
        }
        var created = fido2.RequestNewCredential(Parameters(accountId, email, existing));
        await challenges.IssueAsync(created.Challenge, new PasskeyChallenge(PasskeyChallenge.Registration, accountId));
        return new(PasskeyResult.Done, Options: JsonDocument.Parse(created.ToJson()).RootElement.Clone());
    }

    public async Task<PasskeyOutcome> CompleteAsync(Guid accountId, string email, JsonElement credential, string? name,
        CancellationToken cancellationToken)
    {
        if (PasskeyChallenges.ChallengeOf(credential) is not { } challenge || Parse<AuthenticatorAttestationRawResponse>(credential) is not { } response)
        {
            return new(PasskeyResult.Malformed);
        }
        if (await challenges.TakeAsync(challenge) is not { Purpose: PasskeyChallenge.Registration } pending || pending.AccountId != accountId)
        {
            return new(PasskeyResult.ChallengeGone);
        }
        var existing = await db.Passkeys.AsNoTracking().Where(p => p.AccountId == accountId).Select(p => p.CredentialId).ToListAsync(cancellationToken);
        // The options the browser answered, rebuilt around the challenge it signed (only its hash was kept).
        var original = CredentialCreateOptions.Create(fido2Configuration, challenge, User(accountId, email), Selection,
            AttestationConveyancePreference.None, Descriptors(existing), Extensions, PubKeyCredParam.Defaults);
        RegisteredPublicKeyCredential registered;
        try
        {
            registered = await fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = original,
                IsCredentialIdUniqueToUserCallback = async (candidate, token) =>
                    !await db.Passkeys.AsNoTracking().AnyAsync(p => p.CredentialId == candidate.CredentialId, token),
            }, cancellationToken);
        }
        catch (Fido2VerificationException ex)
        {
            metrics.Verified(FactorMethod.Passkey + "-setup", "refused");
            LogRefused(accountId, ex.Message);
            return new(PasskeyResult.Refused, ex.Message);
        }
        var now = time.GetUtcNow();
        var passkey = new Passkey
        {
            Id = Guid.CreateVersion7(),
            AccountId = accountId,
            CredentialId = registered.Id,
            PublicKey = registered.PublicKey,
            SignCount = registered.SignCount,
            Transports = string.Join(' ', (registered.Transports ?? []).Select(Transport)),
            Aaguid = registered.AaGuid,
            BackupEligible = registered.IsBackupEligible,
            BackedUp = registered.IsBackedUp,
            Name = NameOrDefault(name, now),
            CreatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Passkeys.Add(passkey);
        outbox.Stage(new PasskeyAdded(accountId, email, passkey.Name, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same credential registered twice at once: the unique index let one through.
            return new(PasskeyResult.Refused, "This passkey is already registered.");
        }
        await transaction.CommitAsync(cancellationToken);
        metrics.Verified(FactorMethod.Passkey + "-setup", "accepted");
        return new(PasskeyResult.Done, Passkey: passkey);
    }

    /// <summary>A name the owner chose (trimmed, without control characters) or the default; null when the given one is not acceptable.</summary>
    public static string? CleanName(string? name) =>
        (name ?? "").Trim() is { Length: > 0 and <= PasskeyOptions.MaxNameLength } trimmed && !trimmed.Any(char.IsControl) ? trimmed : null;

    private static string NameOrDefault(string? name, DateTimeOffset now) => CleanName(name) ?? $"Passkey added {now:yyyy-MM-dd}";

    private Fido2Configuration fido2Configuration => options.Value.ToFido2Configuration();

    private static RequestNewCredentialParams Parameters(Guid accountId, string email, IReadOnlyList<byte[]> existing) => new()
    {
        User = User(accountId, email),
        ExcludeCredentials = Descriptors(existing),
        AuthenticatorSelection = Selection,
        AttestationPreference = AttestationConveyancePreference.None,
        Extensions = Extensions,
    };

    // The user handle is the account id: no address or other personal data sits in the authenticator's handle.
    private static Fido2User User(Guid accountId, string email) => new() { Id = accountId.ToByteArray(), Name = email, DisplayName = email };

    private static AuthenticatorSelection Selection => new()
    {
        ResidentKey = ResidentKeyRequirement.Required,
        UserVerification = UserVerificationRequirement.Required,
    };

    private static AuthenticationExtensionsClientInputs Extensions => new() { CredProps = true };

    internal static IReadOnlyList<PublicKeyCredentialDescriptor> Descriptors(IEnumerable<byte[]> credentialIds) =>
        [.. credentialIds.Select(id => new PublicKeyCredentialDescriptor(id))];

    internal static T? Parse<T>(JsonElement credential) where T : class
    {
        try
        {
            return credential.Deserialize<T>();
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    private static string Transport(AuthenticatorTransport transport) =>
        JsonSerializer.Serialize(transport).Trim('"');

    [LoggerMessage(LogLevel.Information, "Refused a new passkey for account {AccountId}: {Reason}")]
    private partial void LogRefused(Guid accountId, string reason);
}
