using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Persistence.Audit;

/// <summary>The hash-chain columns of the audit table. A unique chain index makes a second sealer's write fail rather than fork the chain.</summary>
public sealed class AuditChainConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(x => x.Hash).HasMaxLength(64);
        builder.Property(x => x.PreviousHash).HasMaxLength(64);
        builder.HasIndex(x => x.ChainIndex).IsUnique();
    }
}
