using Dm.Core.Errors;

namespace Dm.Core.Config;

// Effective per-instance unit configs and the split of a task into per-source subtasks.
public sealed partial class TaskConfig
{
    /// <summary>The instance's dump config: the named one, else the inline one, else DM's defaults; mydumper-thread wins.</summary>
    public MydumperConfig ResolveMydumper(MySqlInstance inst)
    {
        var d = (inst.MydumperConfigName.Length > 0 && Mydumpers.TryGetValue(inst.MydumperConfigName, out var named) ? named.Clone() : inst.Mydumper?.Clone())
            ?? new MydumperConfig();
        if (d.ChunkFilesize.Length == 0)
            d.ChunkFilesize = "64";
        if (inst.MydumperThread != 0)
            d.Threads = inst.MydumperThread;
        return d;
    }

    public LoaderConfig ResolveLoader(MySqlInstance inst)
    {
        var l = (inst.LoaderConfigName.Length > 0 && Loaders.TryGetValue(inst.LoaderConfigName, out var named) ? named.Clone() : inst.Loader?.Clone())
            ?? new LoaderConfig();
        if (inst.LoaderThread != 0)
            l.PoolSize = inst.LoaderThread;
        return l;
    }

    public SyncerConfig ResolveSyncer(MySqlInstance inst)
    {
        var s = (inst.SyncerConfigName.Length > 0 && Syncers.TryGetValue(inst.SyncerConfigName, out var named) ? named.Clone() : inst.Syncer?.Clone())
            ?? new SyncerConfig();
        if (inst.SyncerThread != 0)
            s.WorkerCount = inst.SyncerThread;
        return s;
    }

    public ValidatorConfig ResolveValidator(MySqlInstance inst) =>
        inst.ValidatorConfigName.Length > 0 && Validators.TryGetValue(inst.ValidatorConfigName, out var named) ? named.Clone() : new ValidatorConfig();

    /// <summary>
    /// One subtask per mysql-instance, with the source's connection from <paramref name="sources"/>
    /// (error 20031 when a source is unknown). Call <see cref="Validate"/> first.
    /// </summary>
    public List<SubTaskConfig> ToSubTasks(IReadOnlyDictionary<string, SourceConfig> sources)
    {
        var result = new List<SubTaskConfig>();
        foreach (var inst in MysqlInstances)
        {
            if (!sources.TryGetValue(inst.SourceId, out var source))
                throw DmErrors.ErrConfigSourceIDNotFound.New(inst.SourceId);
            var st = new SubTaskConfig
            {
                Name = Name,
                Mode = TaskMode,
                IsSharding = IsSharding || ShardMode.Length > 0,
                ShardMode = ShardMode,
                StrictOptimisticShardMode = StrictOptimisticShardMode,
                OnlineDdl = OnlineDdl,
                ShadowTableRules = [.. ShadowTableRules],
                TrashTableRules = [.. TrashTableRules],
                IgnoreCheckingItems = [.. IgnoreCheckingItems],
                CaseSensitive = CaseSensitive,
                MetaSchema = MetaSchema,
                Timezone = Timezone,
                Meta = inst.Meta?.Clone(),
                CollationCompatible = CollationCompatible,
                AsyncCheckpointFlush = AsyncCheckpointFlush,
                SourceId = inst.SourceId,
                From = source.From.Clone(),
                To = (TargetDatabase ?? throw DmErrors.ErrConfigNeedTargetDB.New()).Clone(),
                RouteRules = inst.RouteRules.Select(n => Routes[n] with { }).ToList(),
                FilterRules = inst.FilterRules.Select(n => Filters[n] with { Events = [.. Filters[n].Events], SqlPattern = [.. Filters[n].SqlPattern] }).ToList(),
                ExpressionFilters = inst.ExpressionFilters.Select(n => ExpressionFilter[n].Clone()).ToList(),
                BlockAllowList = BlockAllowList.TryGetValue(inst.EffectiveBlockAllowList, out var ba) ? ba : null,
                Mydumper = ResolveMydumper(inst),
                Loader = ResolveLoader(inst),
                Syncer = ResolveSyncer(inst),
                Validator = ResolveValidator(inst),
                CleanDumpFile = CleanDumpFile,
            };
            st.Adjust();
            result.Add(st);
        }
        return result;
    }
}
