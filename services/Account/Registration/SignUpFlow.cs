using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Registration;

public enum SignUpOutcome
{
    /// <summary>Said for a new address and for a taken one alike.</summary>
    Accepted,
    InvalidEmail,
    WeakPassword,
}

public sealed record SignUpResult(SignUpOutcome Outcome, string? Weakness = null);

/// <summary>
/// A sign-up never creates an account: it creates a <see cref="PendingRegistration"/> whose "Verify email" link
/// is the only way its password becomes usable. A taken address gets a note to its owner instead. Both paths do
/// the same work (one hash, one lookup, one insert), so neither the answer nor its timing tells them apart.
/// </summary>
public sealed partial class SignUpFlow(
    AccountDbContext db, IEventOutbox outbox, PasswordHasher hasher, PasswordPolicy policy, IOptions<RegistrationOptions> options,
    TimeProvider time, ILogger<SignUpFlow> logger)
{
    public async Task<SignUpResult> SignUpAsync(string? requestedEmail, string? password, CancellationToken cancellationToken)
    {
        if (EmailAddress.Normalize(requestedEmail) is not { } email)
        {
            return new SignUpResult(SignUpOutcome.InvalidEmail);
        }
        if (policy.Check(password) is { } weakness)
        {
            return new SignUpResult(SignUpOutcome.WeakPassword, weakness);
        }

        var now = time.GetUtcNow();
        var passwordHash = await hasher.HashAsync(password!, cancellationToken);
        var emailKey = EmailAddress.Key(email);
        var existing = await db.Accounts.AsNoTracking().Where(a => a.EmailKey == emailKey)
            .Select(a => new { a.Id, a.Email }).SingleOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            outbox.Stage(new SignUpAttemptedOnExistingAccount(existing.Id, existing.Email, now));
            await db.SaveChangesAsync(cancellationToken);
            return new SignUpResult(SignUpOutcome.Accepted);
        }

        var registration = new PendingRegistration
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            EmailKey = emailKey,
            PasswordHash = passwordHash,
            CreatedAt = now,
            ExpiresAt = now + options.Value.PendingLifetime,
        };
        db.PendingRegistrations.Add(registration);
        outbox.Stage(new EmailVerificationRequested(registration.Id, email, now));
        await db.SaveChangesAsync(cancellationToken);

        // Repeated sign-ups on one address keep only the newest few alive.
        await db.PendingRegistrations.Where(r => r.EmailKey == emailKey)
            .OrderByDescending(r => r.CreatedAt).Skip(options.Value.MaxPendingPerAddress)
            .ExecuteDeleteAsync(cancellationToken);
        LogRegistered(registration.Id, Redact.Email(email));
        return new SignUpResult(SignUpOutcome.Accepted);
    }

    [LoggerMessage(LogLevel.Information, "Registration {RegistrationId} pending for {Email}")]
    private partial void LogRegistered(Guid registrationId, string email);
}
