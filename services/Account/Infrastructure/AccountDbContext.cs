using AuthPlatform.Account.Devices;
using AuthPlatform.Account.Model;
using AuthPlatform.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Infrastructure;

public sealed class AccountDbContext(DbContextOptions<AccountDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection ring (device tokens, OpenID Connect codes and refresh tokens), shared by the replicas.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<UserAccount> Accounts => Set<UserAccount>();

    public DbSet<PendingRegistration> PendingRegistrations => Set<PendingRegistration>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<AccessKey> AccessKeys => Set<AccessKey>();

    public DbSet<ExternalIdentity> ExternalIdentities => Set<ExternalIdentity>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<RememberedDevice> RememberedDevices => Set<RememberedDevice>();

    // Compiled once: this read is on every GET /api/accounts/me, second step and token exchange, where building and
    // looking up the LINQ query each time cost about 6 % of account's CPU (docs/benchmarks.md, seventh pass).
    private static readonly Func<AccountDbContext, Guid, CancellationToken, Task<UserAccount?>> AccountById =
        EF.CompileAsyncQuery((AccountDbContext db, Guid id, CancellationToken cancellationToken) =>
            db.Accounts.AsNoTracking().SingleOrDefault(a => a.Id == id));

    /// <summary>The account with this id, untracked (a read, not a change), or null.</summary>
    public Task<UserAccount?> FindAccountAsync(Guid id, CancellationToken cancellationToken) => AccountById(this, id, cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxMessages();
        // OpenIddict's applications, authorizations (remembered consent), scopes and tokens.
        modelBuilder.UseOpenIddict();
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        modelBuilder.Entity<UserAccount>(account =>
        {
            account.ToTable("accounts");
            account.Property(a => a.Email).HasMaxLength(254);
            account.Property(a => a.EmailKey).HasMaxLength(254);
            account.HasIndex(a => a.EmailKey).IsUnique();
            account.Property(a => a.PasswordHash).HasMaxLength(256);
        });

        modelBuilder.Entity<PendingRegistration>(registration =>
        {
            registration.ToTable("pending_registrations");
            registration.Property(r => r.Email).HasMaxLength(254);
            registration.Property(r => r.EmailKey).HasMaxLength(254);
            registration.HasIndex(r => r.EmailKey);
            registration.HasIndex(r => r.ExpiresAt);
            registration.Property(r => r.PasswordHash).HasMaxLength(256);
        });

        modelBuilder.Entity<RefreshToken>(token =>
        {
            token.ToTable("refresh_tokens");
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => t.FamilyId);
            token.HasIndex(t => t.AccountId);
            token.Property(t => t.AuthenticationMethods).HasMaxLength(64);
        });

        modelBuilder.Entity<AccessKey>(key =>
        {
            key.ToTable("access_keys");
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.AccessKeyId).HasMaxLength(32);
            key.HasIndex(k => k.AccessKeyId).IsUnique();
            key.Property(k => k.SecretHash).HasMaxLength(64);
            key.HasIndex(k => k.AccountId);
        });

        modelBuilder.Entity<ExternalIdentity>(identity =>
        {
            identity.ToTable("external_identities");
            identity.Property(i => i.Provider).HasMaxLength(32);
            identity.Property(i => i.Subject).HasMaxLength(255);
            identity.Property(i => i.Email).HasMaxLength(254);
            identity.HasIndex(i => new { i.Provider, i.Subject }).IsUnique();
            identity.HasIndex(i => i.AccountId);
            identity.HasOne<UserAccount>().WithMany().HasForeignKey(i => i.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RememberedDevice>(device =>
        {
            device.ToTable("remembered_devices");
            device.Property(d => d.SecretHash).HasMaxLength(64);
            device.Property(d => d.Name).HasMaxLength(DeviceNames.MaxLength);
            device.HasIndex(d => d.AccountId);
            device.HasOne<UserAccount>().WithMany().HasForeignKey(d => d.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SigningKey>(key =>
        {
            key.ToTable("signing_keys");
            key.Property(k => k.Id).HasMaxLength(64);
        });
    }
}
