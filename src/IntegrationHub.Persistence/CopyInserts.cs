using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace IntegrationHub.Persistence;

/// <summary>
/// Saves a context whose changes are mostly new rows (a group commit adds ten or so per message) the cheap way on
/// PostgreSQL: the added rows go in with one binary <c>COPY</c> per table, and <c>SaveChanges</c> is left only the
/// updates, all in one transaction (docs/decisions/0008-copy-and-prepared-statements-on-postgresql.md). Entity Framework would send an
/// <c>INSERT</c> per row, each built, bound, parsed and planned on its own. On SQLite it is <c>SaveChanges</c>.
/// <para>
/// The rows copied are detached from the context: it must not be used to change them afterwards. A key taken twice is
/// reported as Entity Framework reports it, a <see cref="DbUpdateException"/>, so callers' handling is the same.
/// </para>
/// </summary>
public static class CopyInserts
{
    private static readonly ConcurrentDictionary<IEntityType, Table> Tables = new();

    /// <summary>Saves every change; in the context's current transaction if it has one, else in a transaction of its own.</summary>
    public static async Task SaveChangesCopyingInsertsAsync(this HubDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            await db.SaveChangesAsync(ct);
            return;
        }

        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).GroupBy(e => e.Metadata).ToList();
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            foreach (var rows in added)
            {
                await CopyAsync(connection, Tables.GetOrAdd(rows.Key, Table.For), rows, ct);
                foreach (var row in rows) row.State = EntityState.Detached;
            }
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
            if (own is not null) await own.CommitAsync(ct);
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, Table table, IEnumerable<EntityEntry> rows, CancellationToken ct)
    {
        try
        {
            await using var importer = await connection.BeginBinaryImportAsync(table.Copy, ct);
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct);
                foreach (var column in table.Columns)
                {
                    var value = column.Value(row.Entity);
                    if (value is null) await importer.WriteNullAsync(ct);
                    else await importer.WriteAsync(value, column.DataTypeName, ct);
                }
            }
            await importer.CompleteAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation)
        {
            throw new DbUpdateException($"Inserting into {table.Name}: {ex.MessageText} ({ex.ConstraintName})", ex);
        }
    }

    /// <summary>A table's COPY statement and, for each column written, how to read its value from an entity.</summary>
    private sealed record Table(string Name, string Copy, IReadOnlyList<Column> Columns)
    {
        public static Table For(IEntityType entity)
        {
            var name = entity.GetTableName() ?? throw new InvalidOperationException($"{entity.DisplayName()} is not mapped to a table.");
            var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
            // Identity columns are left to the database, as Entity Framework's INSERT leaves them.
            var columns = entity.GetProperties()
                .Where(p => NpgsqlPropertyExtensions.GetValueGenerationStrategy(p, store) is not (NpgsqlValueGenerationStrategy.IdentityByDefaultColumn
                    or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn or NpgsqlValueGenerationStrategy.SerialColumn))
                .Select(Column.For)
                .ToList();
            var quoted = string.Join(", ", columns.Select(c => Quote(c.Name)));
            return new Table(name, $"COPY {Quote(name)} ({quoted}) FROM STDIN (FORMAT BINARY)", columns);
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private sealed record Column(string Name, string DataTypeName, Func<object, object?> Value)
    {
        public static Column For(IProperty property)
        {
            var mapping = property.GetRelationalTypeMapping();
            var getter = property.GetGetter();
            var converter = mapping.Converter;
            Func<object, object?> value = converter is null
                ? getter.GetClrValueUsingContainingEntity
                : entity => getter.GetClrValueUsingContainingEntity(entity) is { } v ? converter.ConvertToProvider(v) : null;
            return new Column(property.GetColumnName(), mapping.StoreTypeNameBase, value);
        }
    }
}
