using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Outbox;

/// <summary>
/// An integration event written in the same transaction as the state change that implies it, and
/// published to the bus afterwards (docs/operations.md, Events and delivery). Stands in for MassTransit.EntityFrameworkCore's outbox,
/// which the package mirror here does not carry.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>Also the bus MessageId, so consumers can drop redeliveries.</summary>
    public Guid MessageId { get; set; }

    public required string MessageType { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public int Attempts { get; set; }
}

public static class OutboxModel
{
    public static ModelBuilder AddOutboxMessages(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(entity =>
        {
            entity.ToTable("outbox_messages");
            entity.HasKey(m => m.Id);
            entity.Property(m => m.MessageType).HasMaxLength(256);
            entity.Property(m => m.Body).HasColumnType("jsonb");
            entity.HasIndex(m => m.MessageId).IsUnique();
            // The publisher only ever scans what is still unpublished.
            entity.HasIndex(m => m.Id).HasFilter("\"PublishedAt\" IS NULL").HasDatabaseName("ix_outbox_messages_unpublished");
        });
        return modelBuilder;
    }
}
