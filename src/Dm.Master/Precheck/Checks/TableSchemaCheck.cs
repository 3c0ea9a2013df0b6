using Dm.Core.Config;
using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Master.Precheck.Checks;

/// <summary>
/// table_schema: per migrated table — no primary/unique key (warning: slow, not exactly-once replication),
/// a character set the target does not have (failure), a storage engine the target lacks (warning),
/// foreign keys when the target is TiDB (warning).
/// Reads information_schema with one plain query per view and schema: correlated subqueries over
/// information_schema run concurrently crash MariaDB 10.11 (signal 11), and a precheck must never hurt the upstream.
/// </summary>
internal static class TableSchemaCheck
{
    private sealed record TableFacts(string Table, string? Engine, string? Charset, HashSet<string> ColumnCharsets, bool HasKey, List<string> ForeignKeys);

    public static async Task<CheckResult> RunAsync(IReadOnlyList<SourceSnapshot> sources, TargetSnapshot target,
        ConnectionBudget budget, CancellationToken cancellationToken)
    {
        var r = new CheckResult { Item = CheckingItems.TableSchema, Name = "table structure compatibility check", Desc = "check compatibility of table structure" };
        var work = sources.SelectMany(s => s.Tables
                .GroupBy(t => t.Source.Schema)
                .Select(g => (Source: s, Schema: g.Key, Tables: g.Select(t => t.Source.Table).ToHashSet(StringComparer.Ordinal))))
            .Select(async w => (w.Schema, Facts: (await budget.WithConnectionAsync(w.Source.Source.Endpoint,
                connection => ReadSchemaAsync(connection, w.Schema, w.Source.Collations, target.IsTiDb, cancellationToken),
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

    private static async Task<List<TableFacts>> ReadSchemaAsync(MySqlConnection connection, string schema,
        IReadOnlyDictionary<string, string> collations, bool foreignKeys, CancellationToken cancellationToken)
    {
        var tables = await SqlRows.ReadAsync(connection,
            "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = @schema AND TABLE_TYPE = 'BASE TABLE'",
            row => (Name: row.GetString(0), Engine: row.NullableString(1), Collation: row.NullableString(2)), cancellationToken, ("@schema", schema));
        // STATISTICS, not TABLE_CONSTRAINTS: MariaDB hides constraints from an account that has only SELECT.
        var keyed = (await SqlRows.ReadAsync(connection,
            "SELECT DISTINCT TABLE_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = @schema AND NON_UNIQUE = 0",
            row => row.GetString(0), cancellationToken, ("@schema", schema))).ToHashSet(StringComparer.Ordinal);
        var columnCharsets = (await SqlRows.ReadAsync(connection,
                "SELECT DISTINCT TABLE_NAME, CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @schema AND CHARACTER_SET_NAME IS NOT NULL",
                row => (Table: row.GetString(0), Charset: row.GetString(1)), cancellationToken, ("@schema", schema)))
            .ToLookup(c => c.Table, c => c.Charset, StringComparer.Ordinal);
        var fks = foreignKeys
            ? (await SqlRows.ReadAsync(connection,
                "SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = @schema",
                row => (Table: row.GetString(0), Name: row.GetString(1)), cancellationToken, ("@schema", schema)))
              .ToLookup(f => f.Table, f => f.Name, StringComparer.Ordinal)
            : null;
        return tables.Select(t => new TableFacts(t.Name, t.Engine,
            CharsetOf(t.Collation, collations),
            columnCharsets[t.Name].ToHashSet(StringComparer.OrdinalIgnoreCase),
            keyed.Contains(t.Name),
            fks?[t.Name].ToList() ?? [])).ToList();
    }

    /// <summary>Collation names begin with their charset ("utf8mb4_general_ci"); the lookup covers the rest.</summary>
    private static string? CharsetOf(string? collation, IReadOnlyDictionary<string, string> collations) =>
        collation == null ? null
        : collations.TryGetValue(collation, out var charset) ? charset
        : collation.Split('_', 2)[0];

    private static void Inspect(CheckResult r, string table, TableFacts f, TargetSnapshot target)
    {
        if (!f.HasKey)
            r.Add(CheckError.Warning($"table {table} primary/unique key does not exist",
                "please set primary/unique key for the table, or replication efficiency may get very slow and exactly-once replication can't be promised"));
        var charsets = f.ColumnCharsets.Append(f.Charset).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
        foreach (var charset in charsets.Where(c => !target.Charsets.Contains(c) && !c.Equals("binary", StringComparison.OrdinalIgnoreCase)))
            r.Add(CheckError.Failure($"table {table} unsupport charset {charset}",
                "the target database has no such character set; convert the table or choose a target that supports it"));
        if (f.Engine is { Length: > 0 } engine && !target.Engines.Contains(engine) && !target.IsTiDb)
            r.Add(CheckError.Warning($"table {table} uses storage engine {engine} that the target does not support",
                "the target will create the table with another engine or refuse it (NO_ENGINE_SUBSTITUTION)"));
        foreach (var fk in f.ForeignKeys)
            r.Add(CheckError.Warning($"table {table} Foreign Key {fk} is parsed but ignored by TiDB.",
                "please ref document: https://docs.pingcap.com/tidb/stable/mysql-compatibility#unsupported-features"));
    }
}
