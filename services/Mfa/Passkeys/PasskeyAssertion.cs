using System.Text.Json;
using AuthPlatform.Mfa.Infrastructure;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Mfa.Passkeys;

/// <summary>
/// Signing in with a passkey: options with a fresh challenge (for one account's passkeys when it is a second factor,
/// for any discoverable passkey when it is the first), then the browser's assertion checked against that challenge
/// (taken once), the exact origin, the RP id, user verification, the stored key and the counter. A counter that went
/// backwards refuses the sign-in and is reported, so account can warn the owner.
/// </summary>
public sealed partial class PasskeyAssertion(MfaDbContext db, IFido2 fido2, PasskeyChallenges challenges, IOptions<PasskeyOptions> options,
    TimeProvider time, MfaMetrics metrics, ILogger<PasskeyAssertion> logger)
{
    public async Task<PasskeyOutcome> StartAsync(Guid? accountId, CancellationToken cancellationToken)
    {
        IReadOnlyList<PublicKeyCredentialDescriptor> allowed = [];
        if (accountId is { } id)
        {
            var credentials = await db.Passkeys.AsNoTracking().Where(p => p.AccountId == id).Select(p => p.CredentialId).ToListAsync(cancellationToken);
            if (credentials.Count == 0)
            {
                return new(PasskeyResult.NotFound);
            }
            allowed = PasskeyRegistration.Descriptors(credentials);
        }
        var request = fido2.GetAssertionOptions(new GetAssertionOptionsParams { AllowedCredentials = allowed, UserVerification = UserVerificationRequirement.Required });
        await challenges.IssueAsync(request.Challenge, new PasskeyChallenge(PasskeyChallenge.Assertion, accountId));
        return new(PasskeyResult.Done, Options: JsonDocument.Parse(request.ToJson()).RootElement.Clone());
    }

    /// <param name="accountId">The account whose second factor this is, or null for a first-factor sign-in.</param>
    public async Task<PasskeyOutcome> VerifyAsync(Guid? accountId, JsonElement credential, CancellationToken cancellationToken)
    {
        var outcome = await CheckAsync(accountId, credential, cancellationToken);
        metrics.Verified(FactorMethod.Passkey, outcome.Result switch
        {
            PasskeyResult.Done => "accepted",
            PasskeyResult.SignCountRegressed => "cloned",
            PasskeyResult.Malformed => "malformed",
            _ => "wrong",
        });
        return outcome;
    }

    private async Task<PasskeyOutcome> CheckAsync(Guid? accountId, JsonElement credential, CancellationToken cancellationToken)
    {
        if (PasskeyChallenges.ChallengeOf(credential) is not { } challenge
            || PasskeyRegistration.Parse<AuthenticatorAssertionRawResponse>(credential) is not { RawId.Length: > 0 } response)
        {
            return new(PasskeyResult.Malformed);
        }
        if (await challenges.TakeAsync(challenge) is not { Purpose: PasskeyChallenge.Assertion } pending || pending.AccountId != accountId)
        {
            return new(PasskeyResult.ChallengeGone);
        }
        var rawId = response.RawId;
        var passkey = await db.Passkeys.AsNoTracking().SingleOrDefaultAsync(p => p.CredentialId == rawId, cancellationToken);
        if (passkey is null || accountId is { } expected && passkey.AccountId != expected)
        {
            return new(PasskeyResult.Refused, "This passkey is not registered here.");
        }
        var allowed = accountId is null ? [] : PasskeyRegistration.Descriptors([passkey.CredentialId]);
        var original = AssertionOptions.Create(options.Value.ToFido2Configuration(), challenge, allowed, UserVerificationRequirement.Required, null);
        VerifyAssertionResult verified;
        try
        {
            verified = await fido2.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response,
                OriginalOptions = original,
                StoredPublicKey = passkey.PublicKey,
                StoredSignatureCounter = passkey.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (owner, _) =>
                    Task.FromResult(owner.UserHandle.AsSpan().SequenceEqual(passkey.AccountId.ToByteArray())),
            }, cancellationToken);
        }
        catch (Fido2VerificationException ex) when (ex.Code == Fido2NetLib.Exceptions.Fido2ErrorCode.InvalidSignCount)
        {
            LogSignCountRegressed(passkey.AccountId, passkey.Id);
            return new(PasskeyResult.SignCountRegressed, Passkey: passkey);
        }
        catch (Fido2VerificationException ex)
        {
            LogRefused(passkey.AccountId, ex.Message);
            return new(PasskeyResult.Refused, ex.Message, Passkey: passkey);
        }
        // The counter moves forward once: of two assertions racing with the same counter, one wins.
        var stored = passkey.SignCount;
        var updated = await db.Passkeys
            .Where(p => p.Id == passkey.Id && p.SignCount == stored)
            .ExecuteUpdateAsync(set => set
                .SetProperty(p => p.SignCount, verified.SignCount)
                .SetProperty(p => p.BackedUp, verified.IsBackedUp)
                .SetProperty(p => p.LastUsedAt, time.GetUtcNow()), cancellationToken);
        if (updated == 0)
        {
            return new(PasskeyResult.SignCountRegressed, Passkey: passkey);
        }
        return new(PasskeyResult.Done, Passkey: passkey);
    }

    [LoggerMessage(LogLevel.Warning, "Refused a passkey of account {AccountId} whose signature counter went backwards (passkey {PasskeyId}): possibly cloned")]
    private partial void LogSignCountRegressed(Guid accountId, Guid passkeyId);

    [LoggerMessage(LogLevel.Information, "Refused a passkey assertion for account {AccountId}: {Reason}")]
    private partial void LogRefused(Guid accountId, string reason);
}
