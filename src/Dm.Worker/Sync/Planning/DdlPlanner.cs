using System.Text.RegularExpressions;
using Dm.Core.Config;
using Dm.Core.Rules;
using Dm.Sql.Ast;
using Dm.Sql.Classification;
using Dm.Sql.Printing;
using Dm.Sql.Splitting;

namespace Dm.Worker.Sync.Planning;

/// <summary>One piece of an upstream DDL that passed the filters: the statement, its routed target text, and the upstream tables it changes.</summary>
/// <remarks><see cref="TargetSql"/> is null when only the tracker applies it: DM does not drop or truncate a merged shard target.</remarks>
internal sealed record DdlPiece(Statement Statement, string? TargetSql, IReadOnlyList<TableName> Tables, string? Schema);

/// <summary>
/// Splits an upstream DDL into one statement per table, drops the pieces the block-allow list, the binlog
/// event filter or the online-DDL rules exclude, and routes the rest to target names. CREATE gets IF NOT
/// EXISTS and DROP gets IF EXISTS so that replaying a DDL the target already has is harmless.
/// </summary>
internal sealed class DdlPlanner(SubTaskConfig config, BlockAllowListFilter filter, BinlogEventFilter events, TableRouter router)
{
    private readonly Regex[] _onlineDdl = config.OnlineDdl
        ? [.. config.ShadowTableRules.Concat(config.TrashTableRules).Select(r => new Regex(r, RegexOptions.CultureInvariant))]
        : [];

    public bool IsOnlineDdlTable(string table) => _onlineDdl.Any(r => r.IsMatch(table));

    /// <returns>The pieces to apply, and true when the event filter asked for an error.</returns>
    public (List<DdlPiece> Pieces, string? Refused) Plan(Statement statement, string? currentSchema, string rawSql)
    {
        var pieces = new List<DdlPiece>();
        foreach (var piece in StatementSplitter.Split(statement))
        {
            var schema = SchemaOf(piece, currentSchema);
            var tables = StatementTables.Targets(piece).Select(t => t with { Schema = t.Schema ?? currentSchema ?? "" }).ToList();
            if (schema is null && tables.Count == 0) continue; // not a structure change DM replicates
            if (piece is DropTableStatement { Temporary: true } or CreateTableStatement { Temporary: true }) continue;
            if (tables.Count > 0)
            {
                if (!tables.Any(t => filter.Match(t.Schema!, t.Name))) continue;
                if (tables.Any(t => IsOnlineDdlTable(t.Name))) continue;
            }
            else if (!filter.Match(schema!, "")) continue;
            var first = tables.Count > 0 ? (tables[0].Schema!, tables[0].Name) : (schema!, "");
            switch (events.Filter(first.Item1, first.Item2, DdlClassifier.Classify(piece), rawSql))
            {
                case FilterAction.Ignore: continue;
                case FilterAction.Error: return (pieces, $"`{first.Item1}`.`{first.Item2}`");
            }
            var target = Idempotent(piece);
            var mapper = new NameMapper(
                t => Route(t.Schema ?? currentSchema ?? "", t.Name),
                s => router.Route(s, "").Schema);
            var shardDrop = config.IsSharding && piece is DropTableStatement or DropDatabaseStatement or TruncateTableStatement;
            pieces.Add(new DdlPiece(piece, shardDrop ? null : SqlPrinter.Print(target, mapper), tables, schema));
        }
        return (pieces, null);
    }

    private TableName Route(string schema, string table)
    {
        var (s, t) = router.Route(schema, table);
        return new TableName(s, t);
    }

    private static string? SchemaOf(Statement s, string? currentSchema) => s switch
    {
        CreateDatabaseStatement c => c.Name,
        DropDatabaseStatement d => d.Name,
        AlterDatabaseStatement a => a.Name ?? currentSchema,
        _ => null,
    };

    private static Statement Idempotent(Statement s) => s switch
    {
        CreateDatabaseStatement c when !c.OrReplace => c with { IfNotExists = true },
        DropDatabaseStatement d => d with { IfExists = true },
        CreateTableStatement c when !c.OrReplace => c with { IfNotExists = true },
        DropTableStatement d => d with { IfExists = true },
        _ => s,
    };
}
