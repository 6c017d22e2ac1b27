using AuthPlatform.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Infrastructure;

public sealed class MfaDbContext(DbContextOptions<MfaDbContext> options) : DbContext(options)
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxMessages();
}
