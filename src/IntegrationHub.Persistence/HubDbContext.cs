using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IntegrationHub.Persistence;

public sealed class HubDbContext(DbContextOptions<HubDbContext> options) : DbContext(options)
{
    public DbSet<MessageRecord> Messages => Set<MessageRecord>();
    public DbSet<DecisionRecord> Decisions => Set<DecisionRecord>();
    public DbSet<DeliveryRecord> Deliveries => Set<DeliveryRecord>();
    public DbSet<InboxRecord> Inbox => Set<InboxRecord>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<QuarantineRecord> Quarantine => Set<QuarantineRecord>();
    public DbSet<HubSetting> Settings => Set<HubSetting>();
    public DbSet<Lifecycle.MissingEpisodeRecord> MissingEpisodes => Set<Lifecycle.MissingEpisodeRecord>();
    public DbSet<Lifecycle.MissingEpisodeEvent> MissingEpisodeEvents => Set<Lifecycle.MissingEpisodeEvent>();
    public DbSet<Lifecycle.DeadlineRecord> Deadlines => Set<Lifecycle.DeadlineRecord>();
    public DbSet<Lifecycle.DeadlineEscalationRecord> DeadlineEscalations => Set<Lifecycle.DeadlineEscalationRecord>();
    public DbSet<Lifecycle.MarpReviewEntry> MarpReviewList => Set<Lifecycle.MarpReviewEntry>();
    public DbSet<Lifecycle.PatternMention> PatternMentions => Set<Lifecycle.PatternMention>();
    public DbSet<Lifecycle.PatternRecord> Patterns => Set<Lifecycle.PatternRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is stored as UTC (UtcDateTimeOffsets.cs). SQLite has no date-time type that orders and compares: it
        // keeps the UTC instant in binary form there. PostgreSQL keeps timestamptz, which takes only offset zero.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetToBinaryConverter>();
        }
        else
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MessageRecord>(e =>
        {
            e.ToTable("messages");
            e.HasKey(x => x.TrackingId);
            e.Property(x => x.Agency).HasMaxLength(32);
            e.Property(x => x.Kind).HasMaxLength(64);
            e.Property(x => x.Channel).HasMaxLength(16);
            e.Property(x => x.ChildKey).HasMaxLength(64);
            e.HasIndex(x => new { x.Status, x.ReceivedAt });
            e.HasIndex(x => x.ChildKey);
        });
        modelBuilder.Entity<DecisionRecord>(e =>
        {
            e.ToTable("decisions");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.TrackingId, x.Revision }).IsUnique();
            e.Property(x => x.ProtocolVersion).HasMaxLength(64);
        });
        modelBuilder.Entity<DeliveryRecord>(e =>
        {
            e.ToTable("deliveries");
            e.HasKey(x => x.DeliveryId);
            e.HasIndex(x => x.TrackingId);
            e.HasIndex(x => new { x.SentAt, x.CreatedAt });
            e.Property(x => x.Recipient).HasMaxLength(32);
            e.Property(x => x.Queue).HasMaxLength(128);
            e.Property(x => x.MessageKind).HasMaxLength(64);
        });
        modelBuilder.Entity<InboxRecord>(e =>
        {
            e.ToTable("inbox");
            e.HasKey(x => new { x.MessageId, x.Consumer });
            e.Property(x => x.Consumer).HasMaxLength(128);
        });
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.TrackingId);
            e.Property(x => x.Event).HasMaxLength(64);
            e.Property(x => x.Actor).HasMaxLength(128);
        });
        modelBuilder.Entity<QuarantineRecord>(e =>
        {
            e.ToTable("quarantine");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Status, x.At });
            e.Property(x => x.Agency).HasMaxLength(32);
            e.Property(x => x.Channel).HasMaxLength(16);
            e.Property(x => x.Kind).HasMaxLength(64);
            e.Property(x => x.ContentType).HasMaxLength(128);
            e.Property(x => x.Reason).HasMaxLength(2000);
        });
        modelBuilder.Entity<HubSetting>(e =>
        {
            e.ToTable("settings");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(64);
        });

        // Each capability keeps its tables' configuration beside its entities (IEntityTypeConfiguration classes).
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HubDbContext).Assembly);
    }
}
