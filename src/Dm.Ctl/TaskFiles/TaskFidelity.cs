using System.Text.RegularExpressions;
using Dm.Core.Config;
using Dm.Core.Rules;

namespace Dm.Ctl.TaskFiles;

/// <summary>
/// The OpenAPI task is narrower than DM's task.yaml (no ignore-dbs/ignore-tables, filters only "Ignore" and
/// scoped per migrate rule, one set of unit settings for all sources; expression filters and route extractors travel in
/// DM#'s own fields of it).
/// dmctl starts tasks through that API, so before doing so it checks that the task the master will run
/// behaves like the YAML on the tables the sources really have: same tables migrated, same routes, same
/// event-filter decisions, same unit settings. Any difference is refused rather than silently changed.
/// </summary>
public static partial class TaskFidelity
{
    private static readonly string[] ProbeEvents =
    [
        "insert", "update", "delete", "create database", "drop database", "create table", "drop table", "truncate table",
        "alter table", "rename table", "create index", "drop index", "add column", "drop column", "create view", "drop view",
    ];

    private static readonly string[] ProbeStatements =
    [
        "DROP TABLE t", "TRUNCATE TABLE t", "ALTER TABLE t ADD COLUMN c INT", "CREATE TABLE t (id INT)", "DROP DATABASE d",
        "CREATE PROCEDURE p() BEGIN END", "DROP PROCEDURE p", "CREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW SET @a=1",
    ];

    /// <param name="fromYaml">Subtasks as DM would build them from the task.yaml.</param>
    /// <param name="fromApi">Subtasks the master builds from the converted OpenAPI task.</param>
    /// <param name="tables">Per source: its schemas (table "") and tables.</param>
    public static List<string> Differences(IReadOnlyList<SubTaskConfig> fromYaml, IReadOnlyList<SubTaskConfig> fromApi,
        IReadOnlyDictionary<string, List<(string Schema, string Table)>> tables)
    {
        var differences = new List<string>();
        foreach (var yaml in fromYaml)
        {
            var api = fromApi.FirstOrDefault(s => s.SourceId == yaml.SourceId);
            if (api == null)
            {
                differences.Add($"source {yaml.SourceId} is missing from the converted task");
                continue;
            }
            SettingDifferences(yaml, api, differences);
            RuleDifferences(yaml, api, tables.GetValueOrDefault(yaml.SourceId) ?? [], differences);
        }
        return differences;
    }

    private static void SettingDifferences(SubTaskConfig yaml, SubTaskConfig api, List<string> differences)
    {
        var s = yaml.SourceId;
        void Same<T>(string what, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b)) differences.Add($"{s}: {what} is {a} in the file but would be {b}");
        }
        Same("mydumper threads", yaml.Mydumper.Threads, api.Mydumper.Threads);
        Same("mydumper extra-args", yaml.Mydumper.ExtraArgs, api.Mydumper.ExtraArgs);
        Same("mydumper where", yaml.Mydumper.Where, api.Mydumper.Where);
        Same("loader pool-size", yaml.Loader.PoolSize, api.Loader.PoolSize);
        Same("loader import-mode", yaml.Loader.ImportMode, api.Loader.ImportMode);
        Same("syncer worker-count", yaml.Syncer.WorkerCount, api.Syncer.WorkerCount);
        Same("syncer batch", yaml.Syncer.Batch, api.Syncer.Batch);
        Same("syncer safe-mode", yaml.Syncer.SafeMode, api.Syncer.SafeMode);
        Same("syncer compact", yaml.Syncer.Compact, api.Syncer.Compact);
        Same("syncer multiple-rows", yaml.Syncer.MultipleRows, api.Syncer.MultipleRows);
        Same("validator mode", yaml.Validator.Mode, api.Validator.Mode);
        Same("online-ddl", yaml.OnlineDdl, api.OnlineDdl);
        Same("shard-mode", yaml.ShardMode, api.ShardMode);
        Same("meta-schema", yaml.MetaSchema, api.MetaSchema);
        Same("clean-dump-file", yaml.CleanDumpFile, api.CleanDumpFile);
        Same("collation_compatible", yaml.CollationCompatible, api.CollationCompatible);
        Same("meta", Show(yaml.Meta), Show(api.Meta));
        Same("expression-filter", Show(yaml.ExpressionFilters), Show(api.ExpressionFilters));
    }

    private static void RuleDifferences(SubTaskConfig yaml, SubTaskConfig api, List<(string Schema, string Table)> tables,
        List<string> differences)
    {
        var s = yaml.SourceId;
        // Case sensitivity of an OpenAPI task comes from the master's view of the source, which the API does
        // not show; compare the rules under the file's setting.
        var cs = yaml.CaseSensitive;
        var (yamlBa, apiBa) = (new BlockAllowListFilter(yaml.BlockAllowList, cs), new BlockAllowListFilter(api.BlockAllowList, cs));
        var (yamlRoute, apiRoute) = (new TableRouter(yaml.RouteRules, cs), new TableRouter(api.RouteRules, cs));
        var yamlFilter = new BinlogEventFilter(yaml.FilterRules, cs);
        BinlogEventFilter apiFilter;
        try
        {
            apiFilter = new BinlogEventFilter(api.FilterRules, cs);
        }
        catch (ArgumentException ex)
        {
            // Different filters attached to the same migrate rule collide in the OpenAPI form.
            differences.Add($"{s}: the file's filters cannot be expressed per migrate rule ({ex.Message})");
            return;
        }
        var statements = ProbeStatements.Concat(yaml.FilterRules.Concat(api.FilterRules).SelectMany(r => r.SqlPattern).Select(StatementLike)).Distinct().ToList();
        foreach (var (schema, table) in tables)
        {
            var name = table.Length == 0 ? $"schema {schema}" : $"table {schema}.{table}";
            var migrated = table.Length == 0 ? yamlBa.Match(schema, "") : yamlBa.Match(schema, table);
            if (migrated != (table.Length == 0 ? apiBa.Match(schema, "") : apiBa.Match(schema, table)))
            {
                differences.Add($"{s}: {name} is {(migrated ? "migrated" : "not migrated")} by the file's block-allow-list but would {(migrated ? "not " : "")}be");
                continue;
            }
            if (!migrated) continue;
            if (table.Length > 0 && yamlRoute.Route(schema, table) != apiRoute.Route(schema, table))
                differences.Add($"{s}: {name} routes to {Show(yamlRoute.Route(schema, table))} in the file but would go to {Show(apiRoute.Route(schema, table))}");
            if (table.Length > 0 && Show(yamlRoute.ExtendColumns(schema, table, s)) is var fileColumns &&
                fileColumns != Show(apiRoute.ExtendColumns(schema, table, s)))
                differences.Add($"{s}: {name} fills columns {fileColumns} in the file but would fill {Show(apiRoute.ExtendColumns(schema, table, s))}");
            foreach (var e in ProbeEvents)
            {
                var (a, b) = (yamlFilter.Filter(schema, table, e, ""), apiFilter.Filter(schema, table, e, ""));
                if (a != b) differences.Add($"{s}: \"{e}\" on {name} is {a} by the file's filters but would be {b}");
            }
            foreach (var q in statements)
            {
                var (a, b) = (yamlFilter.Filter(schema, table, BinlogEventTypes.Null, q), apiFilter.Filter(schema, table, BinlogEventTypes.Null, q));
                if (a != b) differences.Add($"{s}: statement \"{q}\" on {name} is {a} by the file's filters but would be {b}");
            }
        }
    }

    private static string Show(IEnumerable<ExpressionFilter> filters) => string.Join(" | ", filters.Select(f =>
        $"{f.Schema}.{f.Table}: {f.InsertValueExpr}/{f.UpdateOldValueExpr}/{f.UpdateNewValueExpr}/{f.DeleteValueExpr}"));

    private static string Show((List<string> Columns, List<string> Values) extended) =>
        "[" + string.Join(", ", extended.Columns.Zip(extended.Values, (c, v) => $"{c}={v}")) + "]";

    private static string Show(BinlogMeta? m) => m == null ? "none" : $"({m.BinlogName}, {m.BinlogPos}, {m.BinlogGtid})";

    private static string Show((string Schema, string Table) t) => $"{t.Schema}.{t.Table}";

    /// <summary>A statement a sql-pattern would match, from the usual "^DROP\s+PROCEDURE" style patterns.</summary>
    private static string StatementLike(string pattern) =>
        Whitespace().Replace(pattern.TrimStart('^').TrimEnd('$'), " ").Replace("\\", "", StringComparison.Ordinal);

    [GeneratedRegex(@"\\s[+*]?")]
    private static partial Regex Whitespace();
}
