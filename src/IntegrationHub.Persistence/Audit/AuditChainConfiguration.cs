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
        // What the sealer reads: the unsealed entries in id order. Partial, so it holds only those, and read by a plain
        // index scan, which marks the entries of sealed rows dead as it passes them. Through the chain-index index the
        // read was a bitmap scan of every entry "IS NULL" ever written and not yet vacuumed: 27 ms a time at 230,000.
        builder.HasIndex(x => x.Id, "IX_audit_Unsealed").HasFilter("\"ChainIndex\" IS NULL");
    }
}
