using System.Net;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Registration;
using AuthPlatform.Web;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Throttling;

public enum PasswordSignInResult
{
    /// <summary>The password is right; <see cref="PasswordSignInOutcome.Account"/>, the device and its fresh token are set.</summary>
    PasswordAccepted,
    WrongCredentials,
    /// <summary>429: too many failures (or correct sign-ins) for now.</summary>
    Throttled,
    /// <summary>503: password hashing is at capacity.</summary>
    Busy,
    /// <summary>403: the newest pending sign-up's own password; the address is not proven yet.</summary>
    EmailNotVerified,
}

/// <param name="ProvenAt">When the password check began: the session's proof time (see SessionTokens).</param>
public sealed record PasswordSignInOutcome(PasswordSignInResult Result, UserAccount? Account = null, IssuedDeviceToken? DeviceToken = null,
    TimeSpan RetryAfter = default, DateTimeOffset ProvenAt = default, KnownDevice? Device = null);

/// <summary>
/// The password step of a sign-in: the limits (per account and client network, per network, the per-account
/// ceiling, correct sign-ins per minute), then the hash behind the hashing gate. The endpoint only translates.
/// </summary>
public sealed partial class PasswordSignIn(AccountDbContext db, PasswordHasher hasher, SignInThrottle throttle, KnownDevices devices,
    PendingRegistrations registrations, TimeProvider time, ILogger<PasswordSignIn> logger)
{
    public async Task<PasswordSignInOutcome> CheckAsync(string emailKey, string password, string? deviceToken, IPAddress? client,
        CancellationToken cancellationToken)
    {
        var network = ClientNetwork.Key(client);
        // Before any hashing: a loop of correct sign-ins is a way to burn CPU too.
        if (await throttle.SuccessesExhaustedAsync(emailKey) is { } resting)
        {
            return new(PasswordSignInResult.Throttled, RetryAfter: resting);
        }
        var provenAt = time.GetUtcNow();
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.EmailKey == emailKey, cancellationToken);
        var device = account is null ? null : devices.Read(deviceToken, account.Id);
        var knownDevice = device is not null;
        if (await throttle.TakePasswordAttemptAsync(emailKey, network, knownDevice) is { } retryAfter)
        {
            return new(PasswordSignInResult.Throttled, RetryAfter: retryAfter);
        }

        PasswordCheck check;
        try
        {
            if (account is null)
            {
                // Not proven yet: only the newest sign-up's own password hears "verify your email"; any other is as
                // wrong as for an unknown address.
                if (await registrations.NewestAsync(emailKey, cancellationToken) is { } registration)
                {
                    if (await hasher.VerifyAsync(registration.PasswordHash, password, cancellationToken) == PasswordCheck.Wrong)
                    {
                        return new(PasswordSignInResult.WrongCredentials);
                    }
                    await throttle.ForgivePasswordAttemptAsync(emailKey, network);
                    return new(PasswordSignInResult.EmailNotVerified);
                }
                // A proof may have turned the registration into the account since the first read (its sessions are
                // valid from the registration, so the proof time taken before the first read still counts).
                account = await db.Accounts.SingleOrDefaultAsync(a => a.EmailKey == emailKey, cancellationToken);
            }
            // No account, or one made through Google with no password yet: the same hashing time, and a refusal.
            check = account is not { HasPassword: true }
                ? await hasher.VerifyDummyAsync(password, cancellationToken)
                : await hasher.VerifyAsync(account.PasswordHash, password, cancellationToken);
        }
        catch (PasswordHashingBusyException busy)
        {
            await throttle.GiveBackPasswordAttemptAsync(emailKey, network, knownDevice);
            return new(PasswordSignInResult.Busy, RetryAfter: busy.RetryAfter);
        }
        if (account is not { HasPassword: true } || check == PasswordCheck.Wrong)
        {
            if (account is not null)
            {
                LogFailedSignIn(Redact.Email(account.Email), network, knownDevice);
            }
            return new(PasswordSignInResult.WrongCredentials);
        }

        await throttle.ForgivePasswordAttemptAsync(emailKey, network);
        if (await throttle.CountSuccessAsync(emailKey) is { } tooMany)
        {
            return new(PasswordSignInResult.Throttled, RetryAfter: tooMany);
        }
        if (check == PasswordCheck.RightButOutdated)
        {
            try
            {
                account.PasswordHash = await hasher.HashAsync(password, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (PasswordHashingBusyException)
            {
                // The upgrade waits for a quieter sign-in; the password was right.
            }
        }
        // Null too when the account appeared during the check (a proof racing this sign-in).
        device ??= devices.Read(deviceToken, account.Id) ?? devices.New();
        return new(PasswordSignInResult.PasswordAccepted, account, devices.Issue(account.Id, device), ProvenAt: provenAt, Device: device);
    }

    /// <summary>
    /// The signed-in owner proves the password again (reauthentication, password change): the same per-account and
    /// per-network failure limits as sign-in, behind the same hashing gate, but no device exemption.
    /// </summary>
    public async Task<PasswordSignInOutcome> ProveAsync(UserAccount account, string password, IPAddress? client, CancellationToken cancellationToken)
    {
        var network = ClientNetwork.Key(client);
        var provenAt = time.GetUtcNow();
        if (await throttle.TakePasswordAttemptAsync(account.EmailKey, network, knownDevice: false) is { } retryAfter)
        {
            return new(PasswordSignInResult.Throttled, RetryAfter: retryAfter);
        }
        PasswordCheck check;
        try
        {
            if (account.HasPassword)
            {
                check = await hasher.VerifyAsync(account.PasswordHash, password, cancellationToken);
            }
            else
            {
                // No password yet (made through Google): nothing to match, in the usual time.
                await hasher.VerifyDummyAsync(password, cancellationToken);
                check = PasswordCheck.Wrong;
            }
        }
        catch (PasswordHashingBusyException busy)
        {
            await throttle.GiveBackPasswordAttemptAsync(account.EmailKey, network, knownDevice: false);
            return new(PasswordSignInResult.Busy, RetryAfter: busy.RetryAfter);
        }
        if (check == PasswordCheck.Wrong)
        {
            LogFailedSignIn(Redact.Email(account.Email), network, false);
            return new(PasswordSignInResult.WrongCredentials);
        }
        await throttle.ForgivePasswordAttemptAsync(account.EmailKey, network);
        return new(PasswordSignInResult.PasswordAccepted, account, ProvenAt: provenAt);
    }

    [LoggerMessage(LogLevel.Information, "Failed sign-in for {Email} from {Network} (known device: {KnownDevice})")]
    private partial void LogFailedSignIn(string email, string network, bool knownDevice);
}
