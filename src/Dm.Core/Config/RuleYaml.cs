using Dm.Core.Config.Yaml;
using Dm.Core.Rules;

namespace Dm.Core.Config;

/// <summary>YAML form of the rule definitions in Dm.Core.Rules (keys as DM's tidb/tiflow packages spell them).</summary>
internal static class RuleYaml
{
    public static RouteRule ReadRoute(YamlMap map)
    {
        var rule = new RouteRule
        {
            SchemaPattern = map.String("schema-pattern") ?? "",
            TablePattern = map.String("table-pattern") ?? "",
            TargetSchema = map.String("target-schema") ?? "",
            TargetTable = map.String("target-table") ?? "",
            ExtractTable = map.Map("extract-table") is { } t ? Extractor(t, "table-regexp", (r, c) => new TableExtractor(r, c)) : null,
            ExtractSchema = map.Map("extract-schema") is { } s ? Extractor(s, "schema-regexp", (r, c) => new SchemaExtractor(r, c)) : null,
            ExtractSource = map.Map("extract-source") is { } o ? Extractor(o, "source-regexp", (r, c) => new SourceExtractor(r, c)) : null,
        };
        map.RejectUnknownKeys();
        return rule;
    }

    public static YamlMapWriter WriteRoute(RouteRule rule)
    {
        var w = new YamlMapWriter()
            .String("schema-pattern", rule.SchemaPattern).String("table-pattern", rule.TablePattern)
            .String("target-schema", rule.TargetSchema).String("target-table", rule.TargetTable);
        if (rule.ExtractTable is { } t)
            w.Map("extract-table", new YamlMapWriter().String("table-regexp", t.TableRegexp).String("target-column", t.TargetColumn));
        if (rule.ExtractSchema is { } s)
            w.Map("extract-schema", new YamlMapWriter().String("schema-regexp", s.SchemaRegexp).String("target-column", s.TargetColumn));
        if (rule.ExtractSource is { } o)
            w.Map("extract-source", new YamlMapWriter().String("source-regexp", o.SourceRegexp).String("target-column", o.TargetColumn));
        return w;
    }

    public static BinlogEventRule ReadFilter(YamlMap map)
    {
        var rule = new BinlogEventRule
        {
            SchemaPattern = map.String("schema-pattern") ?? "",
            TablePattern = map.String("table-pattern") ?? "",
            Events = map.Strings("events") ?? [],
            SqlPattern = map.Strings("sql-pattern") ?? [],
            Action = map.String("action") ?? "",
        };
        map.RejectUnknownKeys();
        return rule;
    }

    public static YamlMapWriter WriteFilter(BinlogEventRule rule) => new YamlMapWriter()
        .String("schema-pattern", rule.SchemaPattern).String("table-pattern", rule.TablePattern)
        .Strings("events", rule.Events).Strings("sql-pattern", rule.SqlPattern).String("action", rule.Action);

    public static BlockAllowListRules ReadBlockAllowList(YamlMap map)
    {
        var rules = new BlockAllowListRules
        {
            DoTables = Tables(map, "do-tables"),
            DoDbs = map.Strings("do-dbs") ?? [],
            IgnoreTables = Tables(map, "ignore-tables"),
            IgnoreDbs = map.Strings("ignore-dbs") ?? [],
        };
        map.RejectUnknownKeys();
        return rules;
    }

    public static YamlMapWriter WriteBlockAllowList(BlockAllowListRules rules) => new YamlMapWriter()
        .Maps("do-tables", rules.DoTables.Select(WriteTable))
        .Strings("do-dbs", rules.DoDbs)
        .Maps("ignore-tables", rules.IgnoreTables.Select(WriteTable))
        .Strings("ignore-dbs", rules.IgnoreDbs);

    private static List<TablePattern> Tables(YamlMap map, string key) =>
        (map.Maps(key) ?? []).Select(t =>
        {
            var table = new TablePattern(t.String("db-name") ?? "", t.String("tbl-name") ?? "");
            t.RejectUnknownKeys();
            return table;
        }).ToList();

    private static YamlMapWriter WriteTable(TablePattern t) => new YamlMapWriter().String("db-name", t.DbName).String("tbl-name", t.TblName);

    private static T Extractor<T>(YamlMap map, string regexpKey, Func<string, string, T> create)
    {
        var value = create(map.String(regexpKey) ?? "", map.String("target-column") ?? "");
        map.RejectUnknownKeys();
        return value;
    }
}
