using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Portal.Infrastructure;

/// <summary>
/// The portal's only durable state: the Data Protection key ring that seals its session cookies. Kept in PostgreSQL,
/// so a restart or another replica opens the cookies already handed out, and encrypted there under the
/// key-encryption certificate, so a copy of portaldb opens no cookie.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
}
