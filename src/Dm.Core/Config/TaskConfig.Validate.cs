using Dm.Core.Errors;

namespace Dm.Core.Config;

// DM's TaskConfig.adjust: fills defaults and rejects invalid configs with DM's error codes, in DM's order.
public sealed partial class TaskConfig
{
    /// <summary>
    /// Validates like DM (20019 empty name, 20020 task-mode, 20033 shard-mode, 20066, 20064, 20052, 20001,
    /// 20007, 20021, 20013, 20042/20039, 20055, 20005/20011/20015-17, 20014, 20023/20024/20026/20027/20029/20030/
    /// 20040/20056 unknown names, 20028, 20060/20061, 20032 duplicates, 20053/20054/20062/20063/20065 loader
    /// options, 20038 unused globals, 20008 timezone) and fills DM's defaults. SQL grammar of expression
    /// filters is not checked here (DM parses them with TiDB's parser).
    /// </summary>
    public void Validate()
    {
        if (Name.Length == 0)
            throw DmErrors.ErrConfigNeedUniqueTaskName.New();
        if (TaskMode is not (TaskModes.Full or TaskModes.Incremental or TaskModes.All or TaskModes.Dump or TaskModes.Load or TaskModes.LoadSync))
            throw DmErrors.ErrConfigInvalidTaskMode.New();
        if (MetaSchema.Length == 0)
            MetaSchema = "dm_meta";
        if (ShardMode.Length > 0 && ShardMode is not ("pessimistic" or "optimistic"))
            throw DmErrors.ErrConfigShardModeNotSupport.New(ShardMode);
        if (ShardMode.Length == 0 && IsSharding)
            ShardMode = "pessimistic";
        if (StrictOptimisticShardMode && ShardMode != "optimistic")
            throw DmErrors.ErrConfigStrictOptimisticShardMode.New();
        if (ColumnMappingCount > 0)
            throw DmErrors.ErrConfigColumnMappingDeprecated.New();
        if (CollationCompatible.Length == 0)
            CollationCompatible = "loose";
        else if (CollationCompatible is not ("loose" or "strict"))
            throw DmErrors.ErrConfigCollationCompatibleNotSupport.New(CollationCompatible);
        foreach (var item in IgnoreCheckingItems)
            CheckingItems.Validate(item);
        if (OnlineDdlScheme.Length > 0 && OnlineDdlScheme is not ("pt" or "gh-ost"))
            throw DmErrors.ErrConfigOnlineSchemeNotSupport.New(OnlineDdlScheme);
        if (OnlineDdlScheme.Length > 0)
            OnlineDdl = true;
        if (TargetDatabase is null)
            throw DmErrors.ErrConfigNeedTargetDB.New();
        if (MysqlInstances.Count == 0)
            throw DmErrors.ErrConfigMySQLInstsAtLeastOne.New();

        foreach (var (name, filter) in ExpressionFilter.OrderBy(e => e.Key, StringComparer.Ordinal))
            filter.Validate(name);
        foreach (var validator in Validators.Values)
            validator.Adjust();
        if (BlockAllowList.Count == 0 && BlackWhiteList.Count > 0)
            BlockAllowList = new(BlackWhiteList, StringComparer.Ordinal);

        var used = new HashSet<string>(StringComparer.Ordinal);
        var sourceIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        for (var i = 0; i < MysqlInstances.Count; i++)
        {
            var inst = MysqlInstances[i];
            ValidateInstance(inst, i, used);
            if (sourceIndex.TryGetValue(inst.SourceId, out var first))
                throw DmErrors.ErrConfigMySQLInstSameSourceID.New(first, i, inst.SourceId);
            sourceIndex[inst.SourceId] = i;
            AddDuplicates(duplicates, i, "route-rules", inst.RouteRules);
            AddDuplicates(duplicates, i, "filter-rules", inst.FilterRules);
            AddDuplicates(duplicates, i, "column-mapping-rules", inst.ColumnMappingRules);
            AddDuplicates(duplicates, i, "expression-filters", inst.ExpressionFilters);
        }
        if (MysqlInstances.Count > 1 && MysqlInstances.Any(i => ResolveLoader(i).ImportMode.Equals("import-into", StringComparison.OrdinalIgnoreCase)))
            throw DmErrors.ErrConfigImportIntoShardingNotSupport.New();
        if (duplicates.Count > 0)
            throw DmErrors.ErrConfigDuplicateCfgItem.New(string.Join("\n", duplicates));

        foreach (var loader in Loaders.Values)
            LoaderOptions.Adjust(loader);
        var unused = Unused("route", Routes.Keys).Concat(Unused("filter", Filters.Keys)).Concat(Unused("mydumper", Mydumpers.Keys))
            .Concat(Unused("loader", Loaders.Keys)).Concat(Unused("syncer", Syncers.Keys))
            .Concat(Unused("expr", ExpressionFilter.Keys)).Concat(Unused("validator", Validators.Keys))
            .Order(StringComparer.Ordinal).ToList();
        if (unused.Count > 0)
            throw DmErrors.ErrConfigGlobalConfigsUnused.New(unused);
        if (!TimezoneName.IsValid(Timezone))
            throw DmErrors.ErrConfigInvalidTimezone.New(Timezone);
        // Heartbeat is gone since DM 2.0: DM forces it off with a warning.
        EnableHeartbeat = false;

        IEnumerable<string> Unused(string kind, IEnumerable<string> names) => names.Where(n => !used.Contains(kind + ":" + n));
    }

    private void ValidateInstance(MySqlInstance inst, int i, HashSet<string> used)
    {
        if (inst.SourceId.Length == 0)
            throw DmErrors.ErrConfigEmptySourceID.New();
        inst.Meta?.Verify();
        if (inst.MydumperConfigName.Length > 0 && inst.Mydumper is not null)
            throw DmErrors.ErrConfigMydumperCfgConflict.New();
        if (inst.LoaderConfigName.Length > 0 && inst.Loader is not null)
            throw DmErrors.ErrConfigLoaderCfgConflict.New();
        if (inst.SyncerConfigName.Length > 0 && inst.Syncer is not null)
            throw DmErrors.ErrConfigSyncerCfgConflict.New();

        foreach (var name in inst.RouteRules)
            Use(Routes.ContainsKey(name), "route", name, () => DmErrors.ErrConfigRouteRuleNotFound.New(i, name));
        foreach (var name in inst.FilterRules)
            Use(Filters.ContainsKey(name), "filter", name, () => DmErrors.ErrConfigFilterRuleNotFound.New(i, name));
        var baList = inst.EffectiveBlockAllowList;
        if (baList.Length > 0 && !BlockAllowList.ContainsKey(baList))
            throw DmErrors.ErrConfigBAListNotFound.New(i, baList);
        if (inst.MydumperConfigName.Length > 0)
            Use(Mydumpers.ContainsKey(inst.MydumperConfigName), "mydumper", inst.MydumperConfigName, () => DmErrors.ErrConfigMydumperCfgNotFound.New(i, inst.MydumperConfigName));
        var dump = ResolveMydumper(inst);
        if (HasDump(TaskMode) && dump.MydumperPath.Length == 0)
            throw DmErrors.ErrConfigMydumperPathNotValid.New(i);
        if (inst.LoaderConfigName.Length > 0)
            Use(Loaders.ContainsKey(inst.LoaderConfigName), "loader", inst.LoaderConfigName, () => DmErrors.ErrConfigLoaderCfgNotFound.New(i, inst.LoaderConfigName));
        if (inst.Loader is not null)
            LoaderOptions.Adjust(inst.Loader);
        if (inst.SyncerConfigName.Length > 0)
            Use(Syncers.ContainsKey(inst.SyncerConfigName), "syncer", inst.SyncerConfigName, () => DmErrors.ErrConfigSyncerCfgNotFound.New(i, inst.SyncerConfigName));
        SyncerOptions.Adjust(ResolveSyncer(inst));
        if (inst.ValidatorConfigName.Length > 0)
            Use(Validators.ContainsKey(inst.ValidatorConfigName), "validator", inst.ValidatorConfigName, () => DmErrors.ErrContinuousValidatorCfgNotFound.New(i, inst.ValidatorConfigName));
        foreach (var name in inst.ExpressionFilters)
            Use(ExpressionFilter.ContainsKey(name), "expr", name, () => DmErrors.ErrConfigExprFilterNotFound.New(i, name));

        void Use(bool exists, string kind, string name, Func<DmException> missing)
        {
            if (!exists)
                throw missing();
            used.Add(kind + ":" + name);
        }
    }

    private static void AddDuplicates(List<string> into, int i, string what, List<string> names)
    {
        var dupes = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0)
            into.Add($"mysql-instance({i})'s {what}: {string.Join(", ", dupes)}");
    }
}
