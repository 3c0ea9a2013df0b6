using Dm.Sql.Ast;

namespace Dm.Sql.Classification;

/// <summary>
/// The tables a statement acts on (first) and the ones it only refers to (FK targets, LIKE sources,
/// UNION members, EXCHANGE partners), for block-allow lists and routing.
/// </summary>
public static class StatementTables
{
    /// <summary>Tables the statement changes, in order (RENAME gives both old and new names).</summary>
    public static IReadOnlyList<TableName> Targets(Statement statement) => statement switch
    {
        CreateTableStatement s => [s.Table],
        AlterTableStatement s => [s.Table, .. s.Specs.OfType<RenameTableSpec>().Select(r => r.NewName)],
        DropTableStatement s => s.Tables,
        RenameTableStatement s => s.Pairs.SelectMany(p => new[] { p.From, p.To }).ToList(),
        TruncateTableStatement s => [s.Table],
        CreateIndexStatement s => [s.Table],
        DropIndexStatement s => [s.Table],
        CreateViewStatement s => [s.View],
        DropViewStatement s => s.Views,
        SequenceStatement s => s.Names,
        _ => [],
    };

    /// <summary>Other tables the statement names without changing them.</summary>
    public static IReadOnlyList<TableName> References(Statement statement)
    {
        var result = new List<TableName>();
        switch (statement)
        {
            case CreateViewStatement s:
                result.AddRange(s.Query.Tables.Select(t => t.Name));
                break;
            case CreateTableStatement s:
                if (s.Like != null) result.Add(s.Like);
                if (s.Select != null) result.AddRange(s.Select.Tables.Select(t => t.Name));
                foreach (var element in s.Elements) AddElementReferences(element, result);
                foreach (var option in s.Options)
                    if (option.Tables != null) result.AddRange(option.Tables);
                break;
            case AlterTableStatement s:
                foreach (var spec in s.Specs)
                {
                    switch (spec)
                    {
                        case AddConstraintSpec a: AddElementReferences(a.Element, result); break;
                        case AddColumnsSpec a:
                            foreach (var c in a.Columns) AddElementReferences(c, result);
                            break;
                        case ExchangePartitionSpec e: result.Add(e.Table); break;
                        case ConvertPartitionToTableSpec c: result.Add(c.Table); break;
                        case ConvertTableToPartitionSpec c: result.Add(c.Table); break;
                        case TableOptionsSpec t:
                            foreach (var option in t.Options)
                                if (option.Tables != null) result.AddRange(option.Tables);
                            break;
                    }
                }
                break;
        }
        return result;
    }

    private static void AddElementReferences(TableElement element, List<TableName> result)
    {
        if (element is ForeignKeyDefinition f) result.Add(f.Reference.Table);
        else if (element is ColumnDefinition { References: { } r }) result.Add(r.Table);
    }
}
