using Dm.Core.Upstream;

namespace Dm.Core.Precheck.Checks;

/// <summary>
/// table_schema: per migrated table — no primary/unique key (warning: slow, not exactly-once replication),
/// a character set the target does not have (failure), a storage engine the target lacks (warning),
/// foreign keys when the target is TiDB (warning). One information_schema query per schema.
/// </summary>
internal static class TableSchemaCheck
{
    private const string Query =
        "SELECT t.TABLE_NAME, t.ENGINE, " +
        "(SELECT cs.CHARACTER_SET_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY cs WHERE cs.COLLATION_NAME = t.TABLE_COLLATION LIMIT 1), " +
        "(SELECT GROUP_CONCAT(DISTINCT c.CHARACTER_SET_NAME) FROM information_schema.COLUMNS c " +
        "  WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME AND c.CHARACTER_SET_NAME IS NOT NULL), " +
        // STATISTICS, not TABLE_CONSTRAINTS: MariaDB hides constraints from an account that has only SELECT.
        "(SELECT COUNT(*) FROM information_schema.STATISTICS k " +
        "  WHERE k.TABLE_SCHEMA = t.TABLE_SCHEMA AND k.TABLE_NAME = t.TABLE_NAME AND k.NON_UNIQUE = 0), " +
        "(SELECT GROUP_CONCAT(k.CONSTRAINT_NAME) FROM information_schema.TABLE_CONSTRAINTS k " +
        "  WHERE k.TABLE_SCHEMA = t.TABLE_SCHEMA AND k.TABLE_NAME = t.TABLE_NAME AND k.CONSTRAINT_TYPE = 'FOREIGN KEY') " +
        "FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = @schema AND t.TABLE_TYPE = 'BASE TABLE'";

    private sealed record TableFacts(string Table, string? Engine, string? Charset, string? ColumnCharsets, long Keys, string? ForeignKeys);

    public static async Task<CheckResult> RunAsync(IReadOnlyList<SourceSnapshot> sources, TargetSnapshot target,
        ConnectionBudget budget, CancellationToken cancellationToken)
    {
        var r = new CheckResult { Item = CheckingItems.TableSchema, Name = "table structure compatibility check", Desc = "check compatibility of table structure" };
        var work = sources.SelectMany(s => s.Tables
                .GroupBy(t => t.Source.Schema)
                .Select(g => (Source: s, Schema: g.Key, Tables: g.Select(t => t.Source.Table).ToHashSet(StringComparer.Ordinal))))
            .Select(async w => (w.Schema, Facts: (await budget.WithConnectionAsync(w.Source.Source.Endpoint, connection =>
                SqlRows.ReadAsync(connection, Query, row => new TableFacts(row.GetString(0), row.NullableString(1), row.NullableString(2),
                    row.NullableString(3), Convert.ToInt64(row.GetValue(4)), row.NullableString(5)), cancellationToken, ("@schema", w.Schema)),
                cancellationToken)).Where(f => w.Tables.Contains(f.Table)).ToList()))
            .ToList();
        try
        {
            foreach (var (schema, facts) in await Task.WhenAll(work))
                foreach (var f in facts.OrderBy(f => f.Table, StringComparer.Ordinal))
                    Inspect(r, Quote.Table(schema, f.Table), f, target);
        }
        catch (UpstreamException e)
        {
            r.Add(CheckError.Failure(e.Message));
        }
        return r;
    }

    private static void Inspect(CheckResult r, string table, TableFacts f, TargetSnapshot target)
    {
        if (f.Keys == 0)
            r.Add(CheckError.Warning($"table {table} primary/unique key does not exist",
                "please set primary/unique key for the table, or replication efficiency may get very slow and exactly-once replication can't be promised"));
        var charsets = new[] { f.Charset }.Concat((f.ColumnCharsets ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            .OfType<string>().Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var charset in charsets.Where(c => !target.Charsets.Contains(c) && !c.Equals("binary", StringComparison.OrdinalIgnoreCase)))
            r.Add(CheckError.Failure($"table {table} unsupport charset {charset}",
                "the target database has no such character set; convert the table or choose a target that supports it"));
        if (f.Engine is { Length: > 0 } engine && !target.Engines.Contains(engine) && !target.IsTiDb)
            r.Add(CheckError.Warning($"table {table} uses storage engine {engine} that the target does not support",
                "the target will create the table with another engine or refuse it (NO_ENGINE_SUBSTITUTION)"));
        if (target.IsTiDb && f.ForeignKeys is { Length: > 0 } fks)
            foreach (var fk in fks.Split(','))
                r.Add(CheckError.Warning($"table {table} Foreign Key {fk} is parsed but ignored by TiDB.",
                    "please ref document: https://docs.pingcap.com/tidb/stable/mysql-compatibility#unsupported-features"));
    }
}
