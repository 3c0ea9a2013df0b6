using Dm.Core.Rules;

namespace Dm.Core.Config;

/// <summary>
/// DM's task.yaml. Decode with <see cref="FromYaml"/> (strict), check and fill defaults with
/// <see cref="Validate"/>, encode with <see cref="ToYaml"/>, split into per-source subtasks with
/// <see cref="ToSubTasks"/>. Property defaults are DM's.
/// </summary>
public sealed partial class TaskConfig
{
    public string Name { get; set; } = "";
    /// <summary>full | incremental | all | dump | load (and hidden load&amp;sync).</summary>
    public string TaskMode { get; set; } = "";
    /// <summary>Deprecated: true with empty shard-mode means pessimistic.</summary>
    public bool IsSharding { get; set; }
    /// <summary>"" | pessimistic | optimistic.</summary>
    public string ShardMode { get; set; } = "";
    public bool StrictOptimisticShardMode { get; set; }
    public List<string> IgnoreCheckingItems { get; set; } = [];
    public string MetaSchema { get; set; } = "dm_meta";
    public bool EnableHeartbeat { get; set; }
    public int HeartbeatUpdateInterval { get; set; } = 1;
    public int HeartbeatReportInterval { get; set; } = 10;
    public string Timezone { get; set; } = "";
    public bool CaseSensitive { get; set; }
    /// <summary>loose | strict.</summary>
    public string CollationCompatible { get; set; } = "loose";
    public DbConfig? TargetDatabase { get; set; }
    public List<MySqlInstance> MysqlInstances { get; set; } = [];
    public bool OnlineDdl { get; set; } = true;
    public List<string> ShadowTableRules { get; set; } = [];
    public List<string> TrashTableRules { get; set; } = [];
    /// <summary>Deprecated: pt | gh-ost; setting it turns online-ddl on.</summary>
    public string OnlineDdlScheme { get; set; } = "";
    public Dictionary<string, RouteRule> Routes { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, BinlogEventRule> Filters { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Deprecated: only the number of entries is kept; any entry is an error (20064).</summary>
    public int ColumnMappingCount { get; set; }
    public Dictionary<string, ExpressionFilter> ExpressionFilter { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Deprecated alias of <see cref="BlockAllowList"/>, used only when that is empty.</summary>
    public Dictionary<string, BlockAllowListRules> BlackWhiteList { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, BlockAllowListRules> BlockAllowList { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, MydumperConfig> Mydumpers { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, LoaderConfig> Loaders { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, SyncerConfig> Syncers { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, ValidatorConfig> Validators { get; set; } = new(StringComparer.Ordinal);
    public bool CleanDumpFile { get; set; } = true;
    public bool AnsiQuotes { get; set; }
    public bool RemoveMeta { get; set; }
    public bool AsyncCheckpointFlush { get; set; }

    /// <summary>The units this task mode runs.</summary>
    public static bool HasDump(string mode) => mode is TaskModes.All or TaskModes.Full or TaskModes.Dump;

    public static bool HasLoad(string mode) => mode is TaskModes.All or TaskModes.Full or TaskModes.Load or TaskModes.LoadSync;

    public static bool HasSync(string mode) => mode is TaskModes.All or TaskModes.Incremental or TaskModes.LoadSync;
}

/// <summary>task-mode values.</summary>
public static class TaskModes
{
    public const string Full = "full";
    public const string Incremental = "incremental";
    public const string All = "all";
    public const string Dump = "dump";
    public const string Load = "load";
    public const string LoadSync = "load&sync";
}
