using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Tokens;
using AuthPlatform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.ExternalSignIn;

public enum ExternalSignInOutcomeKind
{
    /// <summary>No second factor: <see cref="ExternalSignInOutcome.Tokens"/> are set (amr: the provider).</summary>
    SignedIn,
    /// <summary>Our 2FA is on: the provider's sign-in is only the first step (<see cref="ExternalSignInOutcome.MfaToken"/>).</summary>
    SecondFactorRequired,
    /// <summary>The address has an account that is not linked yet: its owner proves it (<see cref="ExternalSignInOutcome.LinkToken"/>).</summary>
    LinkRequired,
    /// <summary>The provider has not verified the address: it neither creates nor links an account.</summary>
    EmailNotVerified,
    Invalid,
}

public sealed record ExternalSignInOutcome(ExternalSignInOutcomeKind Result, IssuedTokens? Tokens = null, string? MfaToken = null,
    IReadOnlyList<string>? Methods = null, string? LinkToken = null, string? AccountEmail = null, bool NewAccount = false);

/// <summary>
/// A person the portal has signed in at an external provider (Google), as the provider vouched for them:
/// a linked identity signs its account in (and our second factor is still asked when it is on); a verified address
/// without an account gets one at once, with no password; a verified address whose account is not linked needs its
/// owner's proof first; an unverified address is refused. Like <see cref="SignIn.SignInFlow"/>, if mfa cannot answer
/// the call throws and the request fails closed with 503.
/// </summary>
public sealed partial class ExternalSignInFlow(AccountDbContext db, SessionTokens sessions, MfaClient mfa, MfaChallenges challenges,
    ExternalLinkProofs links, IEventOutbox outbox, TimeProvider time, AccountMetrics metrics, ILogger<ExternalSignInFlow> logger)
{
    public Task<ExternalSignInOutcome> SignInAsync(string provider, string subject, string email, bool emailVerified, string? clientAddress,
        CancellationToken cancellationToken) =>
        DecideAsync(provider, subject, email, emailVerified, clientAddress, raced: false, cancellationToken);

    private async Task<ExternalSignInOutcome> DecideAsync(string provider, string subject, string email, bool emailVerified, string? clientAddress,
        bool raced, CancellationToken cancellationToken)
    {
        var linked = await db.ExternalIdentities.AsNoTracking()
            .SingleOrDefaultAsync(i => i.Provider == provider && i.Subject == subject, cancellationToken);
        if (linked is not null && await db.FindAccountAsync(linked.AccountId, cancellationToken) is { } owner)
        {
            return await StartAsync(owner, provider, clientAddress, newAccount: false, cancellationToken);
        }
        if (!emailVerified)
        {
            LogUnverified(provider, Redact.Email(email));
            metrics.SignInAttempted(provider, SignInTags.EmailNotVerified);
            return new(ExternalSignInOutcomeKind.EmailNotVerified);
        }
        var emailKey = EmailAddress.Key(email);
        var existing = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.EmailKey == emailKey, cancellationToken);
        if (existing is not null)
        {
            var linkToken = await links.IssueAsync(existing.Id, provider, subject, email);
            return new(ExternalSignInOutcomeKind.LinkRequired, LinkToken: linkToken, AccountEmail: existing.Email);
        }
        if (await CreateAsync(provider, subject, email, cancellationToken) is not { } created)
        {
            // A concurrent sign-up for the address or the identity won the unique index: decide again, once, on what
            // exists now.
            return raced
                ? new(ExternalSignInOutcomeKind.Invalid)
                : await DecideAsync(provider, subject, email, emailVerified, clientAddress, raced: true, cancellationToken);
        }
        return await StartAsync(created, provider, clientAddress, newAccount: true, cancellationToken);
    }

    private async Task<UserAccount?> CreateAsync(string provider, string subject, string email, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var account = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            EmailKey = EmailAddress.Key(email),
            // No password: "forgot password" sets one.
            PasswordHash = "",
            CreatedAt = now,
            PasswordChangedAt = now,
            SessionsValidAfter = now,
        };
        db.Accounts.Add(account);
        db.ExternalIdentities.Add(new ExternalIdentity
        {
            Id = Guid.CreateVersion7(), AccountId = account.Id, Provider = provider, Subject = subject, Email = email, LinkedAt = now,
        });
        outbox.Stage(new AccountRegistered(account.Id, account.Email, now));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return null;
        }
        // The provider proved the address: sign-ups still waiting for their link lose the race (their passwords
        // were chosen by whoever typed them, never proven).
        await db.PendingRegistrations.Where(r => r.EmailKey == account.EmailKey).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogCreated(account.Id, provider, Redact.Email(email));
        return account;
    }

    private async Task<ExternalSignInOutcome> StartAsync(UserAccount account, string provider, string? clientAddress, bool newAccount,
        CancellationToken cancellationToken)
    {
        var provenAt = time.GetUtcNow();
        MfaStatus state;
        try
        {
            state = await mfa.GetStateAsync(account.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            metrics.SignInAttempted(provider, SignInTags.Unavailable);
            throw;
        }
        if (state.Enabled)
        {
            // Google's sign-in is the first factor only: our own second factor is never skipped.
            string[] methods = [state.Method!, FactorMethod.RecoveryCode, .. state.Passkeys > 0 ? [FactorMethod.Passkey] : Array.Empty<string>()];
            var mfaToken = await challenges.IssueAsync(account.Id, methods, provenAt, firstFactor: provider);
            if (state.Method == FactorMethod.Sms)
            {
                await mfa.TrySendSmsChallengeAsync(account.Id, clientAddress, cancellationToken);
            }
            metrics.SignInAttempted(provider, SignInTags.MfaRequired);
            return new(ExternalSignInOutcomeKind.SecondFactorRequired, MfaToken: mfaToken, Methods: methods);
        }
        if (await sessions.StartAsync(account, [provider], provenAt, cancellationToken) is not { } tokens)
        {
            return new(ExternalSignInOutcomeKind.Invalid);
        }
        metrics.SignInAttempted(provider, SignInTags.SignedIn);
        return new(ExternalSignInOutcomeKind.SignedIn, Tokens: tokens, NewAccount: newAccount);
    }


    [LoggerMessage(LogLevel.Information, "Account {AccountId} created through {Provider} for {Email}")]
    private partial void LogCreated(Guid accountId, string provider, string email);

    [LoggerMessage(LogLevel.Information, "Refused a {Provider} sign-in for {Email}: the provider has not verified the address")]
    private partial void LogUnverified(string provider, string email);
}
