using AuthPlatform.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Infrastructure;

public sealed class AccountDbContext(DbContextOptions<AccountDbContext> options) : DbContext(options)
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxMessages();
}
