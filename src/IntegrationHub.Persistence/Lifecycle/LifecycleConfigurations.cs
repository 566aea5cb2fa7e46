using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Persistence.Lifecycle;

internal sealed class MissingEpisodeConfiguration : IEntityTypeConfiguration<MissingEpisodeRecord>
{
    public void Configure(EntityTypeBuilder<MissingEpisodeRecord> e)
    {
        e.ToTable("missing_episodes");
        e.HasKey(x => x.Id);
        e.Property(x => x.PoliceReference).HasMaxLength(128);
        e.HasIndex(x => x.PoliceReference).IsUnique();
        e.Property(x => x.ChildKey).HasMaxLength(64);
        e.HasIndex(x => new { x.ChildKey, x.StartedAt });
        e.Property(x => x.Triggers).HasMaxLength(512);
        e.Property(x => x.Version).IsConcurrencyToken();
    }
}

internal sealed class MissingEpisodeEventConfiguration : IEntityTypeConfiguration<MissingEpisodeEvent>
{
    public void Configure(EntityTypeBuilder<MissingEpisodeEvent> e)
    {
        e.ToTable("missing_episode_events");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.EpisodeId, x.At });
        e.Property(x => x.Event).HasMaxLength(64);
    }
}

internal sealed class DeadlineConfiguration : IEntityTypeConfiguration<DeadlineRecord>
{
    public void Configure(EntityTypeBuilder<DeadlineRecord> e)
    {
        e.ToTable("deadlines");
        e.HasKey(x => x.Id);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Owner).HasMaxLength(128);
        e.Property(x => x.RuleId).HasMaxLength(16);
        e.Property(x => x.ChildKey).HasMaxLength(64);
        e.HasIndex(x => x.NextEscalationAt);
        e.HasIndex(x => new { x.State, x.DueAt }); // the overdue gauge, counted every 30 s
        e.HasIndex(x => new { x.TrackingId, x.Kind }).IsUnique();
        e.HasIndex(x => x.EpisodeId);
    }
}

internal sealed class DeadlineEscalationConfiguration : IEntityTypeConfiguration<DeadlineEscalationRecord>
{
    public void Configure(EntityTypeBuilder<DeadlineEscalationRecord> e)
    {
        e.ToTable("deadline_escalations");
        e.HasKey(x => new { x.DeadlineId, x.Level });
        e.Property(x => x.EscalatedTo).HasMaxLength(32);
        e.Property(x => x.ClaimedBy).HasMaxLength(128);
    }
}

internal sealed class MarpReviewEntryConfiguration : IEntityTypeConfiguration<MarpReviewEntry>
{
    public void Configure(EntityTypeBuilder<MarpReviewEntry> e)
    {
        e.ToTable("marp_review_list");
        e.HasKey(x => x.Id);
        e.Property(x => x.ChildKey).HasMaxLength(64);
        e.Property(x => x.Month).HasMaxLength(7);
        e.HasIndex(x => new { x.Month, x.ChildKey }).IsUnique();
    }
}

internal sealed class PatternMentionConfiguration : IEntityTypeConfiguration<PatternMention>
{
    public void Configure(EntityTypeBuilder<PatternMention> e)
    {
        e.ToTable("pattern_mentions");
        e.HasKey(x => x.Id);
        e.Property(x => x.KeyKind).HasMaxLength(16);
        e.Property(x => x.Key).HasMaxLength(256); // PatternKey.MaxLength: a longer key is stored as its digest
        e.Property(x => x.ChildKey).HasMaxLength(64);
        e.Property(x => x.Agency).HasMaxLength(32);
        e.HasIndex(x => new { x.KeyKind, x.Key, x.At });
        e.HasIndex(x => new { x.KeyKind, x.Key, x.ChildKey, x.TrackingId }).IsUnique();
    }
}

internal sealed class PatternConfiguration : IEntityTypeConfiguration<PatternRecord>
{
    public void Configure(EntityTypeBuilder<PatternRecord> e)
    {
        e.ToTable("patterns");
        e.HasKey(x => x.Id);
        e.Property(x => x.KeyKind).HasMaxLength(16);
        e.Property(x => x.Key).HasMaxLength(256); // PatternKey.MaxLength: a longer key is stored as its digest
        e.HasIndex(x => new { x.KeyKind, x.Key }).IsUnique();
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => x.DetectedAt);
    }
}
