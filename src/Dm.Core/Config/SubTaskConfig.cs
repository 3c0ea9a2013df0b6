using System.Text.RegularExpressions;
using Dm.Core.Errors;
using Dm.Core.Rules;

namespace Dm.Core.Config;

/// <summary>
/// The resolved config of one task on one source — what a worker runs. Built by
/// <see cref="TaskConfig.ToSubTasks"/> or <see cref="TaskConverter.ToSubTasks"/>.
/// </summary>
public sealed partial class SubTaskConfig
{
    public const string DefaultShadowTableRule = "^_(.+)_(?:new|gho)$";
    public const string DefaultTrashTableRule = "^_(.+)_(?:ghc|del|old)$";

    public string Name { get; set; } = "";
    public string Mode { get; set; } = "";
    public bool IsSharding { get; set; }
    public string ShardMode { get; set; } = "";
    public bool StrictOptimisticShardMode { get; set; }
    public bool OnlineDdl { get; set; } = true;
    public List<string> ShadowTableRules { get; set; } = [];
    public List<string> TrashTableRules { get; set; } = [];
    public List<string> IgnoreCheckingItems { get; set; } = [];
    public bool CaseSensitive { get; set; }
    public string MetaSchema { get; set; } = "dm_meta";
    public string Timezone { get; set; } = "";
    public BinlogMeta? Meta { get; set; }
    public string CollationCompatible { get; set; } = "loose";
    public bool AsyncCheckpointFlush { get; set; }
    public string SourceId { get; set; } = "";
    public DbConfig From { get; set; } = new();
    public DbConfig To { get; set; } = new();
    public List<RouteRule> RouteRules { get; set; } = [];
    public List<BinlogEventRule> FilterRules { get; set; } = [];
    public List<ExpressionFilter> ExpressionFilters { get; set; } = [];
    public BlockAllowListRules? BlockAllowList { get; set; }
    public MydumperConfig Mydumper { get; set; } = new();
    public LoaderConfig Loader { get; set; } = new();
    public SyncerConfig Syncer { get; set; } = new();
    public ValidatorConfig Validator { get; set; } = new();
    public bool CleanDumpFile { get; set; } = true;

    /// <summary>
    /// DM's subtask adjust: unit defaults and checks, the loader dir made task-specific
    /// (".&lt;task&gt;" locally, "/&lt;task&gt;.&lt;source&gt;" on remote storage, for all/full modes),
    /// online-DDL rules compiled (20048), rule sets compiled (20037/20044/20045), foreign_key_checks
    /// conflicts (20070) and import-into storage (20069).
    /// </summary>
    public void Adjust()
    {
        if (MetaSchema.Length == 0)
            MetaSchema = "dm_meta";
        if (ShardMode.Length == 0 && IsSharding)
            ShardMode = "pessimistic";
        if (Mydumper.ChunkFilesize.Length == 0)
            Mydumper.ChunkFilesize = "64";
        LoaderOptions.Adjust(Loader);
        SyncerOptions.Adjust(Syncer);
        UnitBounds.Adjust(this);
        Validator.Adjust();
        if (Loader.Dir.Length == 0)
            Loader.Dir = LoaderConfig.DefaultDir;
        if (Mode is TaskModes.All or TaskModes.Full)
        {
            var suffix = LoaderOptions.IsRemoteDir(Loader.Dir) ? $"/{Name}.{SourceId}" : "." + Name;
            if (!Loader.Dir.TrimEnd('/').EndsWith(suffix, StringComparison.Ordinal))
                Loader.Dir = Loader.Dir.TrimEnd('/') + suffix;
        }
        if (!LoaderOptions.IsRemoteDir(Loader.Dir))
            LoaderOptions.CheckLocalDir(Loader.Dir);
        if (Loader.ImportMode == "import-into" && !LoaderOptions.IsRemoteDir(Loader.Dir))
            throw DmErrors.ErrConfigImportIntoRequiresSharedStorage.New(Loader.Dir);
        if (ShadowTableRules.Count == 0)
            ShadowTableRules = [DefaultShadowTableRule];
        if (TrashTableRules.Count == 0)
            TrashTableRules = [DefaultTrashTableRule];
        CompileRegexes("shadow-table-rules", ShadowTableRules);
        CompileRegexes("trash-table-rules", TrashTableRules);
        if (To.ForeignKeyChecksOn)
        {
            if (Syncer.Compact)
                throw DmErrors.ErrConfigUnsupportedForeignKeyChecksOption.New("compact");
            if (Syncer.MultipleRows)
                throw DmErrors.ErrConfigUnsupportedForeignKeyChecksOption.New("multiple-rows");
        }
        UnitSettingSupport.Check(this);
        CompileRules();
    }

    public BlockAllowListFilter CreateBlockAllowListFilter() => new(BlockAllowList, CaseSensitive);

    public TableRouter CreateTableRouter() => new(RouteRules, CaseSensitive);

    public BinlogEventFilter CreateBinlogEventFilter() => new(FilterRules, CaseSensitive);

    /// <summary>Builds the rule engines once to reject bad patterns early, with DM's codes.</summary>
    public void CompileRules()
    {
        try
        {
            _ = CreateBlockAllowListFilter();
        }
        catch (ArgumentException ex)
        {
            throw DmErrors.ErrConfigGenBAList.Wrap(ex);
        }
        try
        {
            _ = CreateTableRouter();
        }
        catch (ArgumentException ex)
        {
            throw DmErrors.ErrConfigGenTableRouter.Wrap(ex);
        }
        try
        {
            _ = CreateBinlogEventFilter();
        }
        catch (ArgumentException ex)
        {
            throw DmErrors.ErrConfigBinlogEventFilter.Wrap(ex);
        }
    }

    private static void CompileRegexes(string key, List<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw DmErrors.ErrConfigOnlineDDLInvalidRegex.New(key, pattern, ex.Message);
            }
        }
    }
}
