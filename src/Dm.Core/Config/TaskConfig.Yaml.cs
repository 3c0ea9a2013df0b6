using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

// task.yaml decoding (strict) and encoding with DM's keys in DM's order.
public sealed partial class TaskConfig
{
    /// <summary>Decodes task.yaml strictly: unknown keys and wrong types fail with DM error 20003 naming key and line.
    /// Does not validate; call <see cref="Validate"/>.</summary>
    public static TaskConfig FromYaml(string yaml)
    {
        var map = YamlMap.ParseDocument(yaml, "task config");
        var c = new TaskConfig();
        c.Name = map.String("name") ?? c.Name;
        c.TaskMode = map.String("task-mode") ?? c.TaskMode;
        c.IsSharding = map.Bool("is-sharding") ?? c.IsSharding;
        c.ShardMode = map.String("shard-mode") ?? c.ShardMode;
        c.StrictOptimisticShardMode = map.Bool("strict-optimistic-shard-mode") ?? c.StrictOptimisticShardMode;
        c.IgnoreCheckingItems = map.Strings("ignore-checking-items") ?? c.IgnoreCheckingItems;
        c.MetaSchema = map.String("meta-schema") ?? c.MetaSchema;
        c.EnableHeartbeat = map.Bool("enable-heartbeat") ?? c.EnableHeartbeat;
        c.HeartbeatUpdateInterval = map.Int("heartbeat-update-interval") ?? c.HeartbeatUpdateInterval;
        c.HeartbeatReportInterval = map.Int("heartbeat-report-interval") ?? c.HeartbeatReportInterval;
        c.Timezone = map.String("timezone") ?? c.Timezone;
        c.CaseSensitive = map.Bool("case-sensitive") ?? c.CaseSensitive;
        c.CollationCompatible = map.String("collation_compatible") ?? c.CollationCompatible;
        c.TargetDatabase = map.Map("target-database") is { } target ? DbConfig.Read(target) : null;
        c.MysqlInstances = (map.Maps("mysql-instances") ?? []).Select(MySqlInstance.Read).ToList();
        c.OnlineDdl = map.Bool("online-ddl") ?? c.OnlineDdl;
        c.ShadowTableRules = map.Strings("shadow-table-rules") ?? c.ShadowTableRules;
        c.TrashTableRules = map.Strings("trash-table-rules") ?? c.TrashTableRules;
        c.OnlineDdlScheme = map.String("online-ddl-scheme") ?? c.OnlineDdlScheme;
        c.Routes = Named(map, "routes", RuleYaml.ReadRoute);
        c.Filters = Named(map, "filters", RuleYaml.ReadFilter);
        c.ColumnMappingCount = map.OpaqueMapCount("column-mappings");
        c.ExpressionFilter = Named(map, "expression-filter", Config.ExpressionFilter.Read);
        c.BlackWhiteList = Named(map, "black-white-list", RuleYaml.ReadBlockAllowList);
        c.BlockAllowList = Named(map, "block-allow-list", RuleYaml.ReadBlockAllowList);
        c.Mydumpers = Named(map, "mydumpers", MydumperConfig.Read);
        c.Loaders = Named(map, "loaders", LoaderConfig.Read);
        c.Syncers = Named(map, "syncers", SyncerConfig.Read);
        c.Validators = Named(map, "validators", ValidatorConfig.Read);
        c.CleanDumpFile = map.Bool("clean-dump-file") ?? c.CleanDumpFile;
        c.AnsiQuotes = map.Bool("ansi-quotes") ?? c.AnsiQuotes;
        c.RemoveMeta = map.Bool("remove-meta") ?? c.RemoveMeta;
        if (map.Map("experimental") is { } experimental)
        {
            c.AsyncCheckpointFlush = experimental.Bool("async-checkpoint-flush") ?? false;
            experimental.RejectUnknownKeys();
        }
        map.RejectUnknownKeys();
        return c;
    }

    /// <summary>Encodes with every DM key, in DM's order, named maps sorted by name.</summary>
    public string ToYaml()
    {
        var w = new YamlMapWriter()
            .String("name", Name).String("task-mode", TaskMode).Bool("is-sharding", IsSharding).String("shard-mode", ShardMode)
            .Bool("strict-optimistic-shard-mode", StrictOptimisticShardMode).Strings("ignore-checking-items", IgnoreCheckingItems)
            .String("meta-schema", MetaSchema).Bool("enable-heartbeat", EnableHeartbeat)
            .Int("heartbeat-update-interval", HeartbeatUpdateInterval).Int("heartbeat-report-interval", HeartbeatReportInterval)
            .String("timezone", Timezone).Bool("case-sensitive", CaseSensitive).String("collation_compatible", CollationCompatible)
            .Map("target-database", TargetDatabase?.Write())
            .Maps("mysql-instances", MysqlInstances.Select(i => i.Write()))
            .Bool("online-ddl", OnlineDdl).Strings("shadow-table-rules", ShadowTableRules).Strings("trash-table-rules", TrashTableRules)
            .String("online-ddl-scheme", OnlineDdlScheme)
            .NamedMaps("routes", Routes, RuleYaml.WriteRoute)
            .NamedMaps("filters", Filters, RuleYaml.WriteFilter)
            .Map("column-mappings", new YamlMapWriter())
            .NamedMaps("expression-filter", ExpressionFilter, f => f.Write())
            .NamedMaps("black-white-list", BlackWhiteList, RuleYaml.WriteBlockAllowList)
            .NamedMaps("block-allow-list", BlockAllowList, RuleYaml.WriteBlockAllowList)
            .NamedMaps("mydumpers", Mydumpers, d => d.Write())
            .NamedMaps("loaders", Loaders, l => l.Write())
            .NamedMaps("syncers", Syncers, s => s.Write())
            .NamedMaps("validators", Validators, v => v.Write())
            .Bool("clean-dump-file", CleanDumpFile).Bool("ansi-quotes", AnsiQuotes).Bool("remove-meta", RemoveMeta)
            .Map("experimental", new YamlMapWriter().Bool("async-checkpoint-flush", AsyncCheckpointFlush));
        return w.ToString();
    }

    private static Dictionary<string, T> Named<T>(YamlMap map, string key, Func<YamlMap, T> read)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (name, value) in map.NamedMaps(key) ?? [])
            result[name] = read(value);
        return result;
    }
}
