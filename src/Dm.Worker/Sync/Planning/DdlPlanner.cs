using System.Text.RegularExpressions;
using Dm.Core.Config;
using Dm.Core.Rules;
using Dm.Core.Errors;
using Dm.Sql;
using Dm.Sql.Ast;
using Dm.Sql.Parsing;
using Dm.Sql.Classification;
using Dm.Sql.Printing;
using Dm.Sql.Splitting;

namespace Dm.Worker.Sync.Planning;

/// <summary>One piece of an upstream DDL that passed the filters: the statement, its routed target text, and the upstream tables it changes.</summary>
/// <remarks><see cref="TargetSql"/> is null when only the tracker applies it: DM does not drop or truncate a merged shard target.</remarks>
internal sealed record DdlPiece(Statement Statement, string? TargetSql, IReadOnlyList<TableName> Tables, string? Schema);

/// <summary>
/// Splits an upstream DDL into one statement per table, drops the pieces the block-allow list or the binlog event filter
/// exclude, and routes the rest to target names. CREATE gets IF NOT EXISTS and DROP gets IF EXISTS so that replaying a DDL
/// the target already has is harmless. With online DDL on (gh-ost, pt-osc), as DM: DDLs on a shadow table are recorded in
/// <see cref="OnlineDdlRecords"/> instead of applied, trash tables are left alone, and the cut-over's rename of the shadow
/// table to the real one becomes the recorded DDLs applied to the real table.
/// </summary>
internal sealed class DdlPlanner(SubTaskConfig config, BlockAllowListFilter filter, BinlogEventFilter events, TableRouter router,
    OnlineDdlRecords? onlineDdl = null)
{
    private readonly Regex[] _shadow = config.OnlineDdl ? [.. config.ShadowTableRules.Select(Compile)] : [];
    private readonly Regex[] _trash = config.OnlineDdl ? [.. config.TrashTableRules.Select(Compile)] : [];
    private readonly OnlineDdlRecords _records = onlineDdl ?? new OnlineDdlRecords();

    private static Regex Compile(string rule) => new(rule, RegexOptions.CultureInvariant);

    public bool IsOnlineDdlTable(string table) => _shadow.Any(r => r.IsMatch(table)) || _trash.Any(r => r.IsMatch(table));

    /// <summary>Whether the task leaves the table alone (block-allow list, online-DDL tables): a DML statement on it is no concern.</summary>
    public bool IgnoresTable(string schema, string table) => !filter.Match(schema, table) || IsOnlineDdlTable(table);

    /// <summary>The records of the online schema changes in progress.</summary>
    public OnlineDdlRecords OnlineDdl => _records;

    /// <returns>The pieces to apply, and the table the event filter refused (an error) when it did.</returns>
    /// <param name="at">Where the statement comes from (binlog position and statement index): names what it records.</param>
    public (List<DdlPiece> Pieces, string? Refused) Plan(Statement statement, string? currentSchema, string rawSql, string at)
    {
        var pieces = new List<DdlPiece>();
        var index = 0;
        foreach (var piece in StatementSplitter.Split(statement))
        {
            var refused = PlanPiece(piece, currentSchema, rawSql, $"{at}#{index++}", pieces);
            if (refused is not null) return (pieces, refused);
        }
        return (pieces, null);
    }

    private string? PlanPiece(Statement piece, string? currentSchema, string rawSql, string at, List<DdlPiece> pieces)
    {
        var schema = SchemaOf(piece, currentSchema);
        var tables = StatementTables.Targets(piece).Select(t => t with { Schema = t.Schema ?? currentSchema ?? "" }).ToList();
        if (schema is null && tables.Count == 0) return null; // not a structure change DM replicates
        if (piece is DropTableStatement { Temporary: true } or CreateTableStatement { Temporary: true }) return null;
        if (tables.Count > 0 && tables.Any(t => IsOnlineDdlTable(t.Name)))
            return OnlineDdlPiece(piece, tables, rawSql, at, pieces);
        if (tables.Count > 0)
        {
            if (!tables.Any(t => filter.Match(t.Schema!, t.Name))) return null;
        }
        else if (!filter.Match(schema!, "")) return null;
        var first = tables.Count > 0 ? (tables[0].Schema!, tables[0].Name) : (schema!, "");
        switch (events.Filter(first.Item1, first.Item2, DdlClassifier.Classify(piece), rawSql))
        {
            case FilterAction.Ignore: return null;
            case FilterAction.Error: return $"`{first.Item1}`.`{first.Item2}`";
        }
        var target = Idempotent(piece);
        var mapper = new NameMapper(
            t => Route(t.Schema ?? currentSchema ?? "", t.Name),
            s => router.Route(s, "").Schema);
        var shardDrop = config.IsSharding && piece is DropTableStatement or DropDatabaseStatement or TruncateTableStatement;
        // A shard created LIKE another shard of its target: the target is the table that shard already merges into (routed
        // as it is, the statement would be `CREATE TABLE merged LIKE merged`, which the target refuses).
        var likeItsTarget = piece is CreateTableStatement { Like: { } like } create
            && Route(like.Schema ?? currentSchema ?? "", like.Name) == Route(create.Table.Schema ?? currentSchema ?? "", create.Table.Name);
        pieces.Add(new DdlPiece(piece, shardDrop || likeItsTarget ? null : SqlPrinter.Print(target, mapper), tables, schema));
        return null;
    }

    /// <summary>
    /// A piece naming a shadow or trash table (tables qualified): trash tables and renames into them are left alone; DDLs on a
    /// shadow table are recorded (a CREATE starts its record, a DROP ends it); the rename of a shadow table to its real table
    /// (the cut-over) plans the recorded DDLs against the real table instead.
    /// </summary>
    private string? OnlineDdlPiece(Statement piece, List<TableName> tables, string rawSql, string at, List<DdlPiece> pieces)
    {
        if (piece is RenameTableStatement { Pairs.Count: 1 } rename)
        {
            var (from, to) = (tables[0], tables[1]);
            if (RealOf(from, _shadow) is null || IsOnlineDdlTable(to.Name)) return null; // into the trash, or between tool tables
            if (!filter.Match(to.Schema!, to.Name)) { _records.Remove(from.Schema!, from.Name); return null; }
            var ghost = _records.Get(from.Schema!, from.Name)
                        ?? throw (from.Name.EndsWith("_gho", StringComparison.Ordinal) ? DmErrors.ErrSyncerUnitGhostOnlineDDLOnGhostTbl : DmErrors.ErrSyncerUnitPTOnlineDDLOnPTTbl)
                            .New(from.Schema, from.Name);
            var mapper = new NameMapper(
                t => t.Name == from.Name && (t.Schema ?? from.Schema) == from.Schema ? to : t,
                s => s);
            foreach (var ddl in ghost.Ddls)
            {
                var replayed = SqlParser.Parse(SqlPrinter.Print(SqlParser.Parse(ddl.Sql), mapper));
                var refused = PlanPieceOnReal(replayed, to.Schema!, rawSql, pieces);
                if (refused is not null) return refused;
            }
            _records.Remove(from.Schema!, from.Name);
            return null;
        }
        var table = tables[0];
        if (tables.Count != 1 || RealOf(table, _shadow) is not { } realName) return null; // trash tables, or more than one table
        var realTable = new TableName(table.Schema, realName);
        if (!filter.Match(realTable.Schema!, realTable.Name)) return null;
        switch (piece)
        {
            case CreateTableStatement:
                _records.Start(table, realTable);
                break;
            case DropTableStatement:
                _records.Remove(table.Schema!, table.Name);
                break;
            default:
                _records.Add(table, realTable, at, SqlPrinter.Print(piece, new NameMapper(t => t with { Schema = t.Schema ?? table.Schema }, s => s)));
                break;
        }
        return null;
    }

    /// <summary>A recorded DDL, renamed to the real table, planned as an upstream DDL on it would be.</summary>
    private string? PlanPieceOnReal(Statement statement, string schema, string rawSql, List<DdlPiece> pieces)
    {
        foreach (var piece in StatementSplitter.Split(statement))
        {
            var refused = PlanPiece(piece, schema, rawSql, "", pieces);
            if (refused is not null) return refused;
        }
        return null;
    }

    /// <summary>The real table's name a shadow or trash table stands for (the rule's first group), or null when no rule matches.</summary>
    private static string? RealOf(TableName table, Regex[] rules)
    {
        foreach (var rule in rules)
            if (rule.Match(table.Name) is { Success: true } m)
                return m.Groups.Count > 1 ? m.Groups[1].Value : table.Name;
        return null;
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
