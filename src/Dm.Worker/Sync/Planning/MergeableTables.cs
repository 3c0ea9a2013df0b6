using System.Runtime.CompilerServices;
using Dm.Sql.Tracking;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// Tables whose changes a writer may collapse to each row's final state within a batch (see <see cref="Applying.BatchStatements"/>):
/// a primary key and no other unique key (so rows cannot collide on anything but the key), and key columns whose
/// values compare exactly as the binlog gives them (numbers, temporal, binary — not collated text or floats).
/// </summary>
internal static class MergeableTables
{
    private static readonly ConditionalWeakTable<TableInfo, StrongBox<bool>> Cache = new();

    private static readonly HashSet<string> ExactTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "SERIAL", "DECIMAL", "NUMERIC", "DEC", "FIXED",
        "DATE", "DATETIME", "TIMESTAMP", "TIME", "YEAR", "BINARY", "VARBINARY", "BIT", "BOOL", "BOOLEAN",
    };

    public static bool IsMergeable(TableInfo table) => Cache.GetValue(table, t => new StrongBox<bool>(Compute(t))).Value;

    private static bool Compute(TableInfo table)
    {
        if (table.PrimaryKey is not { } pk || table.UniqueKeys.Count > 0) return false;
        foreach (var name in pk.Columns)
        {
            if (name is null || table.Column(name) is not { } column) return false;
            if (!column.IsWritable || !ExactTypes.Contains(column.Type.Name)) return false;
        }
        return true;
    }
}
