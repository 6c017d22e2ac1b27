namespace AuthPlatform.Outbox;

/// <summary>Housekeeping of the outbox table (section "Outbox").</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Published rows older than this are deleted; consumers drop redeliveries long before.</summary>
    public TimeSpan KeepPublishedFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the purge runs.</summary>
    public TimeSpan PurgeEvery { get; set; } = TimeSpan.FromHours(1);

    public bool IsValid() => KeepPublishedFor >= TimeSpan.FromMinutes(1) && PurgeEvery >= TimeSpan.FromSeconds(1);
}
