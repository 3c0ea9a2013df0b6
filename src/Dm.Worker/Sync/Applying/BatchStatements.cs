using Dm.Sql.Ast;
using Dm.Sql.Dml;
using Dm.Sql.Tracking;

namespace Dm.Worker.Sync.Applying;

/// <summary>
/// Builds one writer batch's statements. Changes to tables that are not mergeable keep their statements in order.
/// Changes to mergeable tables collapse to each key's final state — gone, or present with its last image — and
/// become multi-row DELETEs and multi-row upserts per table: the same end state in a handful of statements
/// instead of one per row change (DM's compact + multiple-rows). Tables are independent (the target's foreign key
/// checks are off whenever this is used), keys are distinct after collapsing, and deletes run before upserts.
/// </summary>
internal static class BatchStatements
{
    private const int RowsPerStatement = WriterShape.MultipleRows;

    /// <param name="rowsPerStatement">Rows in one DELETE or upsert of collapsed changes (1 without DM's multiple-rows).</param>
    public static List<DmlStatement> Build(IReadOnlyList<SyncTransaction> batch, int rowsPerStatement = RowsPerStatement)
    {
        var statements = new List<DmlStatement>();
        var merged = new Dictionary<TableInfo, (TableName Target, Dictionary<string, (bool Present, object?[] Image)> Final)>(
            ReferenceEqualityComparer.Instance);
        foreach (var transaction in batch)
        {
            statements.AddRange(transaction.Statements);
            foreach (var row in transaction.Rows)
            {
                if (!merged.TryGetValue(row.Table, out var table))
                    merged[row.Table] = table = (row.Target, new Dictionary<string, (bool, object?[])>(StringComparer.Ordinal));
                if (row.Before is { } before && row.BeforeKey != row.AfterKey) table.Final[row.BeforeKey!] = (false, before);
                if (row.After is { } after) table.Final[row.AfterKey!] = (true, after);
            }
        }
        foreach (var (info, (target, final)) in merged)
        {
            var gone = final.Values.Where(v => !v.Present).Select(v => (IReadOnlyList<object?>)v.Image).ToList();
            foreach (var chunk in gone.Chunk(rowsPerStatement))
                statements.AddRange(DmlBuilder.Delete(info, chunk, target));
            var present = final.Values.Where(v => v.Present).Select(v => (IReadOnlyList<object?>)v.Image).ToList();
            foreach (var chunk in present.Chunk(rowsPerStatement))
                statements.Add(DmlBuilder.Insert(info, chunk, InsertMode.Upsert, target));
        }
        return statements;
    }
}
