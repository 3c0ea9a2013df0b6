using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

/// <summary>One <c>mysql-instances[]</c> entry: a source and the named rules/configs it uses.</summary>
public sealed class MySqlInstance
{
    public string SourceId { get; set; } = "";
    public BinlogMeta? Meta { get; set; }
    public List<string> FilterRules { get; set; } = [];
    /// <summary>Deprecated in DM (column mapping is unsupported since v6.6).</summary>
    public List<string> ColumnMappingRules { get; set; } = [];
    public List<string> RouteRules { get; set; } = [];
    public List<string> ExpressionFilters { get; set; } = [];
    /// <summary>Deprecated alias of <see cref="BlockAllowList"/>.</summary>
    public string BlackWhiteList { get; set; } = "";
    public string BlockAllowList { get; set; } = "";
    public string MydumperConfigName { get; set; } = "";
    public MydumperConfig? Mydumper { get; set; }
    /// <summary>Overrides the dump threads when non-zero.</summary>
    public int MydumperThread { get; set; }
    public string LoaderConfigName { get; set; } = "";
    public LoaderConfig? Loader { get; set; }
    /// <summary>Overrides the loader pool-size when non-zero.</summary>
    public int LoaderThread { get; set; }
    public string SyncerConfigName { get; set; } = "";
    public SyncerConfig? Syncer { get; set; }
    /// <summary>Overrides the syncer worker-count when non-zero.</summary>
    public int SyncerThread { get; set; }
    public string ValidatorConfigName { get; set; } = "";

    /// <summary>The block-allow list name in effect (the deprecated key is used only when the new one is empty).</summary>
    public string EffectiveBlockAllowList => BlockAllowList.Length > 0 ? BlockAllowList : BlackWhiteList;

    internal static MySqlInstance Read(YamlMap map)
    {
        var i = new MySqlInstance
        {
            SourceId = map.String("source-id") ?? "",
            Meta = map.Map("meta") is { } meta ? BinlogMeta.Read(meta) : null,
            FilterRules = map.Strings("filter-rules") ?? [],
            ColumnMappingRules = map.Strings("column-mapping-rules") ?? [],
            RouteRules = map.Strings("route-rules") ?? [],
            ExpressionFilters = map.Strings("expression-filters") ?? [],
            BlackWhiteList = map.String("black-white-list") ?? "",
            BlockAllowList = map.String("block-allow-list") ?? "",
            MydumperConfigName = map.String("mydumper-config-name") ?? "",
            Mydumper = map.Map("mydumper") is { } d ? MydumperConfig.Read(d) : null,
            MydumperThread = map.Int("mydumper-thread") ?? 0,
            LoaderConfigName = map.String("loader-config-name") ?? "",
            Loader = map.Map("loader") is { } l ? LoaderConfig.Read(l) : null,
            LoaderThread = map.Int("loader-thread") ?? 0,
            SyncerConfigName = map.String("syncer-config-name") ?? "",
            Syncer = map.Map("syncer") is { } s ? SyncerConfig.Read(s) : null,
            SyncerThread = map.Int("syncer-thread") ?? 0,
            ValidatorConfigName = map.String("validator-config-name") ?? "",
        };
        map.RejectUnknownKeys();
        return i;
    }

    internal YamlMapWriter Write()
    {
        var w = new YamlMapWriter().String("source-id", SourceId).Map("meta", Meta?.Write())
            .Strings("filter-rules", FilterRules).Strings("column-mapping-rules", ColumnMappingRules)
            .Strings("route-rules", RouteRules).Strings("expression-filters", ExpressionFilters)
            .String("black-white-list", BlackWhiteList).String("block-allow-list", BlockAllowList)
            .String("mydumper-config-name", MydumperConfigName).Map("mydumper", Mydumper?.Write()).Int("mydumper-thread", MydumperThread)
            .String("loader-config-name", LoaderConfigName).Map("loader", Loader?.Write()).Int("loader-thread", LoaderThread)
            .String("syncer-config-name", SyncerConfigName).Map("syncer", Syncer?.Write()).Int("syncer-thread", SyncerThread)
            .String("validator-config-name", ValidatorConfigName);
        return w;
    }
}
