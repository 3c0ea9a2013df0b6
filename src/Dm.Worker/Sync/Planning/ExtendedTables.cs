using System.Runtime.CompilerServices;
using Dm.Sql.Ast;
using Dm.Sql.Parsing;
using Dm.Sql.Printing;
using Dm.Sql.Tracking;
using Dm.Worker.Units;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// Sync's side of DM's extend columns (<see cref="ExtendedColumns"/>): for an upstream table whose route extracts names
/// into columns, the table as its rows are written to the target — the tracked columns then the extra ones (text), each
/// key widened by them so that an UPDATE or DELETE touches only the row of this table, schema and source in a merged
/// target — and its rows widened with the extracted values.
/// </summary>
internal sealed class ExtendedTables(ExtendedColumns columns)
{
    private readonly ConditionalWeakTable<TableInfo, ExtendedTable?> _tables = new();

    /// <summary>The extended form of <paramref name="table"/>; null when its route extracts nothing.</summary>
    public ExtendedTable? For(TableInfo table) => _tables.GetValue(table, t =>
        columns.For(t.Schema, t.Name) is { } extension ? new ExtendedTable(Extend(t, extension.Columns), [.. extension.Values]) : null);

    private static TableInfo Extend(TableInfo table, IReadOnlyList<string> extra)
    {
        var definition = table.Definition;
        var parts = extra.Select(c => new KeyPart(c, null, null, null)).ToArray();
        var elements = definition.Elements
            .Select(e => e is IndexDefinition { Kind: IndexKind.Primary or IndexKind.Unique } key ? key with { Parts = new SqlList<KeyPart>([.. key.Parts, .. parts]) } : e)
            .Concat(extra.Select(c => (TableElement)new ColumnDefinition(c, new DataType("VARCHAR", Length: 255))))
            .ToList();
        var tracker = new SchemaTracker();
        tracker.CreateDatabase(table.Schema);
        tracker.SetTable(table.Schema, SqlPrinter.Print(definition with { Elements = new SqlList<TableElement>(elements) }));
        return tracker.GetTable(table.Schema, table.Name)!;
    }
}

/// <summary>An upstream table as its rows are written with extend columns, and the values of those columns.</summary>
internal sealed record ExtendedTable(TableInfo Table, object?[] Values)
{
    /// <summary>A row of the upstream table followed by the extracted values.</summary>
    public object?[] Extend(object?[] row)
    {
        var extended = new object?[row.Length + Values.Length];
        row.CopyTo(extended, 0);
        Values.CopyTo(extended, row.Length);
        return extended;
    }
}
