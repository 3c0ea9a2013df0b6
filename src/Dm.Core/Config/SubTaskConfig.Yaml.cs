using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

// A self-contained YAML form of a subtask, for storing it and handing it to a worker. Keys follow
// DM's subtask config; rules are inline lists instead of names.
public sealed partial class SubTaskConfig
{
    public string ToYaml()
    {
        var w = new YamlMapWriter()
            .String("name", Name).String("mode", Mode).Bool("is-sharding", IsSharding).String("shard-mode", ShardMode)
            .Bool("strict-optimistic-shard-mode", StrictOptimisticShardMode).Bool("online-ddl", OnlineDdl)
            .Strings("shadow-table-rules", ShadowTableRules).Strings("trash-table-rules", TrashTableRules)
            .Strings("ignore-checking-items", IgnoreCheckingItems).Bool("case-sensitive", CaseSensitive)
            .String("meta-schema", MetaSchema).String("timezone", Timezone).Map("meta", Meta?.Write())
            .String("collation_compatible", CollationCompatible)
            .Map("experimental", new YamlMapWriter().Bool("async-checkpoint-flush", AsyncCheckpointFlush))
            .String("source-id", SourceId).Map("from", From.Write()).Map("to", To.Write())
            .Maps("route-rules", RouteRules.Select(RuleYaml.WriteRoute))
            .Maps("filter-rules", FilterRules.Select(RuleYaml.WriteFilter))
            .Maps("expression-filter", ExpressionFilters.Select(f => f.Write()))
            .Map("block-allow-list", BlockAllowList is null ? null : RuleYaml.WriteBlockAllowList(BlockAllowList))
            .Map("mydumper-config", Mydumper.Write()).Map("loader-config", Loader.Write())
            .Map("syncer-config", Syncer.Write()).Map("validator-config", Validator.Write())
            .Bool("clean-dump-file", CleanDumpFile);
        return w.ToString();
    }

    /// <summary>Strict decoding of <see cref="ToYaml"/>'s output (DM error 20003 on unknown keys or types).</summary>
    public static SubTaskConfig FromYaml(string yaml)
    {
        var map = YamlMap.ParseDocument(yaml, "subtask config");
        var c = new SubTaskConfig();
        c.Name = map.String("name") ?? c.Name;
        c.Mode = map.String("mode") ?? c.Mode;
        c.IsSharding = map.Bool("is-sharding") ?? c.IsSharding;
        c.ShardMode = map.String("shard-mode") ?? c.ShardMode;
        c.StrictOptimisticShardMode = map.Bool("strict-optimistic-shard-mode") ?? c.StrictOptimisticShardMode;
        c.OnlineDdl = map.Bool("online-ddl") ?? c.OnlineDdl;
        c.ShadowTableRules = map.Strings("shadow-table-rules") ?? c.ShadowTableRules;
        c.TrashTableRules = map.Strings("trash-table-rules") ?? c.TrashTableRules;
        c.IgnoreCheckingItems = map.Strings("ignore-checking-items") ?? c.IgnoreCheckingItems;
        c.CaseSensitive = map.Bool("case-sensitive") ?? c.CaseSensitive;
        c.MetaSchema = map.String("meta-schema") ?? c.MetaSchema;
        c.Timezone = map.String("timezone") ?? c.Timezone;
        c.Meta = map.Map("meta") is { } meta ? BinlogMeta.Read(meta) : null;
        c.CollationCompatible = map.String("collation_compatible") ?? c.CollationCompatible;
        if (map.Map("experimental") is { } experimental)
        {
            c.AsyncCheckpointFlush = experimental.Bool("async-checkpoint-flush") ?? false;
            experimental.RejectUnknownKeys();
        }
        c.SourceId = map.String("source-id") ?? c.SourceId;
        c.From = map.Map("from") is { } from ? DbConfig.Read(from) : c.From;
        c.To = map.Map("to") is { } to ? DbConfig.Read(to) : c.To;
        c.RouteRules = (map.Maps("route-rules") ?? []).Select(RuleYaml.ReadRoute).ToList();
        c.FilterRules = (map.Maps("filter-rules") ?? []).Select(RuleYaml.ReadFilter).ToList();
        c.ExpressionFilters = (map.Maps("expression-filter") ?? []).Select(ExpressionFilter.Read).ToList();
        c.BlockAllowList = map.Map("block-allow-list") is { } ba ? RuleYaml.ReadBlockAllowList(ba) : null;
        c.Mydumper = map.Map("mydumper-config") is { } d ? MydumperConfig.Read(d) : c.Mydumper;
        c.Loader = map.Map("loader-config") is { } l ? LoaderConfig.Read(l) : c.Loader;
        c.Syncer = map.Map("syncer-config") is { } s ? SyncerConfig.Read(s) : c.Syncer;
        c.Validator = map.Map("validator-config") is { } v ? ValidatorConfig.Read(v) : c.Validator;
        c.CleanDumpFile = map.Bool("clean-dump-file") ?? c.CleanDumpFile;
        map.RejectUnknownKeys();
        return c;
    }
}
