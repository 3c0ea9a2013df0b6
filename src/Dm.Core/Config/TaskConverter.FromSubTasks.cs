using Dm.Core.Api;
using Dm.Core.Rules;

namespace Dm.Core.Config;

// Subtasks → task config / OpenAPI task, and the end-to-end conversions used by /tasks/converters.
public static partial class TaskConverter
{
    /// <summary>
    /// API task → task.yaml model (DM's OpenAPITaskToTaskConfig): subtasks first, then merged back with
    /// generated names (route-01, filter-01, balist-01, dump-01, load-01, sync-01, validator-01, ...),
    /// identical rules sharing one name; the result is validated. A task carrying DM#'s <c>task_config_file</c> is that file.
    /// </summary>
    public static TaskConfig ToTaskConfig(DmTask task, IReadOnlyDictionary<string, SourceConfig> sources)
    {
        if (task.TaskConfigFile is { Length: > 0 })
        {
            _ = DmTaskFile.ToSubTasks(task, sources); // the sources' subtasks resolve (DM's checks, keys DM# refuses)
            return DmTaskFile.Read(task);
        }
        var cfg = SubTasksToTaskConfig(ToSubTasks(task, sources));
        cfg.Validate();
        return cfg;
    }

    /// <summary>task.yaml model → API task (DM's TaskConfigToOpenAPITask); the config is validated first.</summary>
    public static DmTask ToApiTask(TaskConfig cfg, IReadOnlyDictionary<string, SourceConfig> sources)
    {
        cfg.Validate();
        return ApiTaskDefaults.Adjust(SubTasksToApiTask(cfg.ToSubTasks(sources)));
    }

    /// <summary>Merges subtasks of one task into a task config (DM's SubTaskConfigsToTaskConfig).</summary>
    public static TaskConfig SubTasksToTaskConfig(IReadOnlyList<SubTaskConfig> subTasks)
    {
        var first = subTasks[0];
        var c = new TaskConfig
        {
            Name = first.Name,
            TaskMode = first.Mode,
            IsSharding = first.IsSharding,
            ShardMode = first.ShardMode,
            StrictOptimisticShardMode = first.StrictOptimisticShardMode,
            IgnoreCheckingItems = [.. first.IgnoreCheckingItems],
            MetaSchema = first.MetaSchema,
            Timezone = first.Timezone,
            CaseSensitive = first.CaseSensitive,
            TargetDatabase = first.To.Clone(),
            OnlineDdl = first.OnlineDdl,
            CleanDumpFile = first.CleanDumpFile,
            CollationCompatible = first.CollationCompatible.Length > 0 ? first.CollationCompatible : "loose",
            AsyncCheckpointFlush = first.AsyncCheckpointFlush,
        };
        var names = new GeneratedNames();
        foreach (var st in subTasks)
        {
            var inst = new MySqlInstance { SourceId = st.SourceId, Meta = st.Meta?.Clone() };
            if (st.BlockAllowList is { } ba)
                inst.BlockAllowList = names.Name("balist", RuleYaml.WriteBlockAllowList(ba).ToString(), n => c.BlockAllowList[n] = ba);
            foreach (var route in st.RouteRules)
                inst.RouteRules.Add(names.Name("route", RuleYaml.WriteRoute(route).ToString(), n => c.Routes[n] = route));
            foreach (var filter in st.FilterRules)
                inst.FilterRules.Add(names.Name("filter", RuleYaml.WriteFilter(filter).ToString(), n => c.Filters[n] = filter));
            inst.MydumperConfigName = names.Name("dump", st.Mydumper.Write().ToString(), n => c.Mydumpers[n] = st.Mydumper.Clone());
            var loader = st.Loader.Clone();
            loader.Dir = TrimTaskSuffix(loader.Dir, st.Name, st.SourceId);
            inst.LoaderConfigName = names.Name("load", loader.Write().ToString(), n => c.Loaders[n] = loader);
            inst.SyncerConfigName = names.Name("sync", st.Syncer.Write().ToString(), n => c.Syncers[n] = st.Syncer.Clone());
            foreach (var expr in st.ExpressionFilters)
                inst.ExpressionFilters.Add(names.Name("expr-filter", expr.Write().ToString(), n => c.ExpressionFilter[n] = expr.Clone()));
            inst.ValidatorConfigName = names.Name("validator", st.Validator.Write().ToString(), n => c.Validators[n] = st.Validator.Clone());
            c.MysqlInstances.Add(inst);
        }
        return c;
    }

    /// <summary>Builds the API view of a task from its subtasks (DM's SubTaskConfigsToOpenAPITask).</summary>
    public static DmTask SubTasksToApiTask(IReadOnlyList<SubTaskConfig> subTasks)
    {
        var one = subTasks[0];
        var filterRules = new SortedDictionary<string, TaskBinLogFilterRule>(StringComparer.Ordinal);
        var filtersBySource = new Dictionary<string, List<(string Name, BinlogEventRule Rule)>>(StringComparer.Ordinal);
        foreach (var st in subTasks)
        {
            var list = filtersBySource[st.SourceId] = [];
            for (var i = 0; i < st.FilterRules.Count; i++)
            {
                var name = $"{st.SourceId}-filter-rule-{i}";
                var rule = st.FilterRules[i];
                filterRules[name] = new TaskBinLogFilterRule
                {
                    IgnoreEvent = rule.Events.Count > 0 ? [.. rule.Events] : null,
                    IgnoreSql = rule.SqlPattern.Count > 0 ? [.. rule.SqlPattern] : null,
                };
                list.Add((name, rule));
            }
        }

        var keys = new List<(string Source, string Schema, string Table, RouteRule? Route)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string source, string schema, string table, RouteRule? route)
        {
            if (seen.Add($"{source}-{schema}-{table}"))
                keys.Add((source, schema, table, route));
        }
        foreach (var st in subTasks)
        {
            foreach (var r in st.RouteRules)
                Add(st.SourceId, r.SchemaPattern, r.TablePattern, r);
        }
        foreach (var st in subTasks)
        {
            foreach (var db in st.BlockAllowList?.DoDbs ?? [])
                Add(st.SourceId, db, "", null);
            foreach (var t in st.BlockAllowList?.DoTables ?? [])
                Add(st.SourceId, t.DbName, t.TblName, null);
        }
        var migrateRules = keys.Select(k => new TaskTableMigrateRule
        {
            Source = new TaskTableMigrateRuleSource { SourceName = k.Source, Schema = k.Schema, Table = k.Table },
            Target = TargetOf(k.Route),
            BinlogFilterRule = FilterNamesFor(k.Source, k.Schema, k.Table),
        }).ToList();
        var (expressionFilters, expressionFiltersBySource) = ExpressionFiltersOf(subTasks);

        // A filter goes on the migrate rule with its exact patterns (how the API created it); a filter
        // without such a rule goes on every rule of its source, as DM does with all of them.
        List<string>? FilterNamesFor(string source, string schema, string table)
        {
            var names = filtersBySource.GetValueOrDefault(source, [])
                .Where(f => f.Rule.SchemaPattern == schema && f.Rule.TablePattern == table
                    || !keys.Any(k => k.Source == source && k.Schema == f.Rule.SchemaPattern && k.Table == f.Rule.TablePattern))
                .Select(f => f.Name).ToList();
            return names.Count > 0 ? names : null;
        }

        var loader = one.Loader;
        var full = new TaskFullMigrateConf
        {
            ExportThreads = one.Mydumper.Threads,
            DataDir = TrimTaskSuffix(loader.Dir, one.Name, one.SourceId),
            ImportThreads = loader.PoolSize,
            PdAddr = loader.ImportMode == "physical" ? loader.PdAddr : null,
            ImportMode = ApiEnumNames.TryParse<ImportMode>(loader.ImportMode, out var importMode) ? importMode : null,
            Consistency = ConsistencyOf(one.Mydumper.ExtraArgs),
            Security = loader.Security is { } ls ? ApiSecurity(ls) : null,
        };
        var session = one.To.Session?.FirstOrDefault(kv => kv.Key.Equals("foreign_key_checks", StringComparison.OrdinalIgnoreCase)).Value;
        return new DmTask
        {
            Name = one.Name,
            TaskMode = ApiEnumNames.TryParse<TaskMode>(one.Mode, out var mode) ? mode : throw Errors.DmErrors.ErrConfigInvalidTaskMode.New(),
            EnhanceOnlineSchemaChange = one.OnlineDdl,
            MetaSchema = one.MetaSchema,
            OnDuplicate = ApiEnumNames.TryParse<OnDuplicate>(loader.OnDuplicateLogical, out var dup) ? dup : OnDuplicate.Replace,
            SourceConfig = new TaskSourceConfig
            {
                SourceConf = subTasks.Select(st => new TaskSourceConf
                {
                    SourceName = st.SourceId,
                    BinlogGtid = st.Meta?.BinlogGtid,
                    BinlogName = st.Meta?.BinlogName,
                    BinlogPos = st.Meta is { } m ? (int)m.BinlogPos : null,
                    ExpressionFilters = expressionFilters is null ? null : expressionFiltersBySource[st.SourceId],
                }).ToList(),
                FullMigrateConf = full,
                IncrMigrateConf = new TaskIncrMigrateConf
                {
                    ReplBatch = one.Syncer.Batch,
                    ReplThreads = one.Syncer.WorkerCount,
                    SafeMode = one.Syncer.SafeMode ? true : null,
                },
            },
            TargetConfig = new TaskTargetDataBase
            {
                Host = one.To.Host,
                Port = one.To.Port,
                User = one.To.User,
                Password = one.To.Password,
                Security = one.To.Security is { } ts ? ApiSecurity(ts) : null,
                Session = session is not null && ApiEnumNames.TryParse<ForeignKeyChecks>(session, out var fk) ? new TaskTargetSession { ForeignKeyChecks = fk } : null,
            },
            ShardMode = ApiEnumNames.TryParse<ShardMode>(one.ShardMode, out var shard) ? shard : null,
            StrictOptimisticShardMode = one.StrictOptimisticShardMode,
            BinlogFilterRule = filterRules.Count > 0 ? filterRules : null,
            ExpressionFilter = expressionFilters,
            TableMigrateRule = migrateRules,
            IgnoreCheckingItems = one.IgnoreCheckingItems.Count > 0 ? [.. one.IgnoreCheckingItems] : null,
            Timezone = one.Timezone.Length > 0 ? one.Timezone : null,
        };
    }

    /// <summary>A migrate rule's target from its route: names and extracted columns; null when the rule routes nothing.</summary>
    private static TaskTableMigrateRuleTarget? TargetOf(RouteRule? route) =>
        route is null || (route.TargetSchema.Length == 0 && route.ExtractTable is null && route.ExtractSchema is null && route.ExtractSource is null)
            ? null
            : new TaskTableMigrateRuleTarget
            {
                Schema = route.TargetSchema.Length > 0 ? route.TargetSchema : null,
                Table = route.TargetTable.Length > 0 ? route.TargetTable : null,
                ExtractTable = route.ExtractTable,
                ExtractSchema = route.ExtractSchema,
                ExtractSource = route.ExtractSource,
            };

    /// <summary>The subtasks' expression filters as the API task's named rules ("expr-filter-01", ...; identical rules share a name) and each source's names.</summary>
    private static (SortedDictionary<string, TaskExpressionFilter>? Rules, Dictionary<string, List<string>> BySource) ExpressionFiltersOf(
        IReadOnlyList<SubTaskConfig> subTasks)
    {
        var rules = new SortedDictionary<string, TaskExpressionFilter>(StringComparer.Ordinal);
        var bySource = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var names = new GeneratedNames();
        foreach (var st in subTasks)
        {
            bySource[st.SourceId] = st.ExpressionFilters.Select(f => names.Name("expr-filter", f.Write().ToString(), n => rules[n] = new TaskExpressionFilter
            {
                Schema = f.Schema,
                Table = f.Table,
                InsertValueExpr = f.InsertValueExpr.Length > 0 ? f.InsertValueExpr : null,
                UpdateOldValueExpr = f.UpdateOldValueExpr.Length > 0 ? f.UpdateOldValueExpr : null,
                UpdateNewValueExpr = f.UpdateNewValueExpr.Length > 0 ? f.UpdateNewValueExpr : null,
                DeleteValueExpr = f.DeleteValueExpr.Length > 0 ? f.DeleteValueExpr : null,
            })).ToList();
        }
        return (rules.Count > 0 ? rules : null, bySource);
    }

    // DM's task.yaml usually names files (ssl-ca: /path/ca.pem) or gives base64: read here, where the task is converted,
    // into the contents the API carries, as DM's LoadTLSContent does.
    private static Api.Security ApiSecurity(SecurityConfig s) => new()
    {
        SslCaContent = s.CaPem() ?? "",
        SslCertContent = s.CertPem() ?? "",
        SslKeyContent = s.KeyPem() ?? "",
        CertAllowedCn = [.. s.CertAllowedCn],
    };

    private static string? ConsistencyOf(string extraArgs)
    {
        const string prefix = "--consistency ";
        return extraArgs.StartsWith(prefix, StringComparison.Ordinal) && !extraArgs[prefix.Length..].Contains(' ') ? extraArgs[prefix.Length..] : null;
    }

    /// <summary>Undoes the per-task suffix that subtask adjust adds to the loader dir.</summary>
    private static string TrimTaskSuffix(string dir, string task, string source)
    {
        var suffix = LoaderOptions.IsRemoteDir(dir) ? $"/{task}.{source}" : "." + task;
        return dir.EndsWith(suffix, StringComparison.Ordinal) ? dir[..^suffix.Length] : dir;
    }

    /// <summary>DM's getGenerateName: "&lt;prefix&gt;-NN" per distinct rule, reused for identical rules.</summary>
    private sealed class GeneratedNames
    {
        private readonly Dictionary<string, Dictionary<string, string>> _byPrefix = new(StringComparer.Ordinal);

        public string Name(string prefix, string identity, Action<string> onNew)
        {
            var map = _byPrefix.TryGetValue(prefix, out var m) ? m : _byPrefix[prefix] = new(StringComparer.Ordinal);
            if (map.TryGetValue(identity, out var existing))
                return existing;
            var name = $"{prefix}-{map.Count + 1:00}";
            map[identity] = name;
            onNew(name);
            return name;
        }
    }
}
