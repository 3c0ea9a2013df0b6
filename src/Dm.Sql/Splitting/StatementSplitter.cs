using Dm.Sql.Ast;

namespace Dm.Sql.Splitting;

/// <summary>
/// Turns one statement into one statement per table / per ALTER specification, as shard-DDL
/// coordination needs: multi-table DROP/RENAME and multi-spec ALTER become sequences that, executed
/// in order, do what the original did.
/// </summary>
public static class StatementSplitter
{
    public static IReadOnlyList<Statement> Split(Statement statement) => statement switch
    {
        DropTableStatement s when s.Tables.Count > 1 =>
            s.Tables.Select(t => (Statement)(s with { Tables = SqlList.Of(t) })).ToList(),
        RenameTableStatement s when s.Pairs.Count > 1 =>
            s.Pairs.Select(p => (Statement)(s with { Pairs = SqlList.Of(p) })).ToList(),
        DropViewStatement s when s.Views.Count > 1 =>
            s.Views.Select(v => (Statement)(s with { Views = SqlList.Of(v) })).ToList(),
        SequenceStatement { Action: SequenceAction.Drop } s when s.Names.Count > 1 =>
            s.Names.Select(n => (Statement)(s with { Names = SqlList.Of(n) })).ToList(),
        AlterTableStatement s => SplitAlter(s),
        _ => [statement],
    };

    /// <summary>
    /// ALGORITHM/LOCK settings go with every piece; ADD COLUMN (a, b) becomes one ADD per column; a
    /// RENAME TO moves to the end (MySQL applies the other specs to the table before renaming it);
    /// partitioning becomes its own statement.
    /// </summary>
    private static IReadOnlyList<Statement> SplitAlter(AlterTableStatement s)
    {
        var settings = new List<AlterSpec>();
        var pieces = new List<AlterSpec>();
        var renames = new List<AlterSpec>();
        foreach (var spec in s.Specs)
        {
            switch (spec)
            {
                case SimpleSpec { Keyword: "ALGORITHM" or "LOCK" }:
                    settings.Add(spec);
                    break;
                case AddColumnsSpec add when add.Columns.Count > 1:
                    pieces.AddRange(add.Columns.Select(c => (AlterSpec)new AddColumnsSpec(SqlList.Of(c), false, add.IfNotExists, null)));
                    break;
                case TableOptionsSpec options when options.Options.Count > 1:
                    pieces.AddRange(options.Options.Select(o => (AlterSpec)new TableOptionsSpec(SqlList.Of(o))));
                    break;
                case RenameTableSpec:
                    renames.Add(spec);
                    break;
                default:
                    pieces.Add(spec);
                    break;
            }
        }
        var total = pieces.Count + renames.Count + (s.Partitioning != null ? 1 : 0);
        if (total <= 1 && s.Specs.Count - settings.Count <= 1) return [s];

        var result = new List<Statement>(total);
        foreach (var piece in pieces) result.Add(s with { Specs = settings.Prepend(piece).ToSqlList(), Partitioning = null });
        if (s.Partitioning != null) result.Add(s with { Specs = settings.ToSqlList() });
        var table = s.Table;
        foreach (var rename in renames)
        {
            result.Add(s with { Table = table, Specs = SqlList.Of(rename), Partitioning = null });
            table = ((RenameTableSpec)rename).NewName;
        }
        return result;
    }
}
