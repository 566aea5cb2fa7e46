using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Persistence.Failures;

/// <summary>
/// A message the router gave up on after its retries (a <c>Fault</c>), grouped by cause. Only ids, the exception type
/// and the message's shape (digits and ids masked) are kept: never the content.
/// </summary>
public sealed class FailureRecord
{
    public Guid Id { get; set; }
    public Guid TrackingId { get; set; }
    public required string Consumer { get; set; }
    public required string ExceptionType { get; set; }
    /// <summary>The exception message with numbers, ids and quoted values masked, so like failures group together.</summary>
    public required string MessageShape { get; set; }
    /// <summary>Hash of type and shape: the group key.</summary>
    public required string Cause { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public int Occurrences { get; set; }
    public FailureStatus Status { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public string? Resolution { get; set; }
}

public enum FailureStatus
{
    Open = 0,
    Retried = 1,
    Discarded = 2,
}

public sealed class FailureRecordConfiguration : IEntityTypeConfiguration<FailureRecord>
{
    public void Configure(EntityTypeBuilder<FailureRecord> builder)
    {
        builder.ToTable("failures");
        builder.HasKey(x => x.Id);
        builder.HasIndex(x => new { x.TrackingId, x.Consumer }).IsUnique();
        builder.HasIndex(x => new { x.Status, x.Cause });
        builder.Property(x => x.Consumer).HasMaxLength(128);
        builder.Property(x => x.ExceptionType).HasMaxLength(256);
        builder.Property(x => x.MessageShape).HasMaxLength(1000);
        builder.Property(x => x.Cause).HasMaxLength(64);
        builder.Property(x => x.ResolvedBy).HasMaxLength(128);
        builder.Property(x => x.Resolution).HasMaxLength(2000);
    }
}
