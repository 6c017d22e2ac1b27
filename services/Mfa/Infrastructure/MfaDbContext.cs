using AuthPlatform.Mfa.Model;
using AuthPlatform.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Infrastructure;

public sealed class MfaDbContext(DbContextOptions<MfaDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<SecondFactor> SecondFactors => Set<SecondFactor>();

    public DbSet<PendingFactor> PendingFactors => Set<PendingFactor>();

    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();

    public DbSet<Passkey> Passkeys => Set<Passkey>();

    public DbSet<TotpStepFloor> TotpStepFloors => Set<TotpStepFloor>();

    // Compiled once: read by every code check (sign-in's second step above all) and internal 2FA question.
    private static readonly Func<MfaDbContext, Guid, CancellationToken, Task<SecondFactor?>> FactorOf =
        EF.CompileAsyncQuery((MfaDbContext db, Guid accountId, CancellationToken cancellationToken) =>
            db.SecondFactors.AsNoTracking().SingleOrDefault(f => f.AccountId == accountId));

    /// <summary>The account's second factor, untracked, or null when 2FA is off.</summary>
    public Task<SecondFactor?> FindFactorAsync(Guid accountId, CancellationToken cancellationToken) => FactorOf(this, accountId, cancellationToken);

    /// <summary>The Data Protection key ring: durable and shared by every replica (never only in Redis).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxMessages();
        modelBuilder.Entity<SecondFactor>(factor =>
        {
            factor.ToTable("second_factors");
            factor.HasKey(f => f.AccountId);
            factor.Property(f => f.Method).HasMaxLength(16);
            factor.Property(f => f.PhoneNumber).HasMaxLength(16);
        });
        modelBuilder.Entity<PendingFactor>(pending =>
        {
            pending.ToTable("pending_factors");
            pending.HasKey(f => f.AccountId);
            pending.Property(f => f.Method).HasMaxLength(16);
            pending.Property(f => f.PhoneNumber).HasMaxLength(16);
        });
        modelBuilder.Entity<RecoveryCode>(code =>
        {
            code.ToTable("recovery_codes");
            code.Property(c => c.CodeHash).HasMaxLength(64);
            code.HasIndex(c => new { c.AccountId, c.CodeHash }).IsUnique();
        });
        modelBuilder.Entity<Passkey>(passkey =>
        {
            passkey.ToTable("passkeys");
            passkey.Property(p => p.CredentialId).HasMaxLength(1023);
            passkey.HasIndex(p => p.CredentialId).IsUnique();
            passkey.HasIndex(p => p.AccountId);
            passkey.Property(p => p.Transports).HasMaxLength(128);
            passkey.Property(p => p.Name).HasMaxLength(64);
        });
        modelBuilder.Entity<TotpStepFloor>(floor =>
        {
            floor.ToTable("totp_step_floors");
            floor.HasKey(f => f.AccountId);
        });
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }
}
