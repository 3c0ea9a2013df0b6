using System.Collections.Concurrent;
using Dm.Core.Config;
using Dm.Core.Rules;

namespace Dm.Worker.Units;

/// <summary>
/// DM's extend columns (a route's <c>extract-table</c>, <c>extract-schema</c>, <c>extract-source</c>): the extra target columns
/// of an upstream table's rows and their values (the capture groups of the rule's regexp on the table, schema or source
/// name), filled by Load and Sync alike. The target table must have these columns, as DM requires.
/// </summary>
public sealed class ExtendedColumns(TableRouter router, string sourceId)
{
    private readonly ConcurrentDictionary<(string Schema, string Table), Extension?> _tables = new();

    /// <summary>The task's extend columns; null when no route of it extracts anything (nothing is looked up then).</summary>
    public static ExtendedColumns? Of(SubTaskConfig config) =>
        config.RouteRules.Any(r => r.ExtractTable is not null || r.ExtractSchema is not null || r.ExtractSource is not null)
            ? new ExtendedColumns(config.CreateTableRouter(), config.SourceId)
            : null;

    /// <summary>The extra columns of an upstream table's rows; null when its route extracts none.</summary>
    public Extension? For(string schema, string table) => _tables.GetOrAdd((schema, table), key =>
    {
        var (columns, values) = router.ExtendColumns(key.Schema, key.Table, sourceId);
        return columns.Count == 0 ? null : new Extension(columns, values);
    });

    /// <summary>Extra target columns and their values for one upstream table.</summary>
    public sealed record Extension(IReadOnlyList<string> Columns, IReadOnlyList<string> Values);
}
