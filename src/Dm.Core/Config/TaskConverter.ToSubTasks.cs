using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Core.Rules;

namespace Dm.Core.Config;

/// <summary>
/// OpenAPI Task ↔ task config, following DM's task_converters.go (dm-openapi-notes §4).
/// API → config goes through per-source subtasks, as in DM.
/// </summary>
public static partial class TaskConverter
{
    /// <summary>
    /// One subtask per <c>source_config.source_conf[]</c> (sources must exist: 20031). Table migrate
    /// rules become the block-allow list (do-dbs when table is "", else do-tables), route rules (when a
    /// target is given) and Ignore filter rules scoped to the rule's patterns.
    /// </summary>
    public static List<SubTaskConfig> ToSubTasks(DmTask apiTask, IReadOnlyDictionary<string, SourceConfig> sources)
    {
        if (apiTask.TaskConfigFile is { Length: > 0 }) return DmTaskFile.ToSubTasks(apiTask, sources);
        var task = ApiTaskDefaults.Adjust(apiTask);
        CheckSourceCount(task);
        var result = new List<SubTaskConfig>();
        foreach (var conf in task.SourceConfig.SourceConf)
        {
            if (!sources.TryGetValue(conf.SourceName, out var source))
                throw DmErrors.ErrConfigSourceIDNotFound.New(conf.SourceName);
            result.Add(Convert(task, conf, source));
        }
        return result;
    }

    /// <summary>
    /// The one subtask of <paramref name="source"/>, as DM's master splits a task for the worker of each source: the
    /// task's rules and <c>source_conf</c> entries for other sources are not looked at, so a worker needs only its own
    /// source's config. DM's 20031 when the task does not name the source.
    /// </summary>
    public static SubTaskConfig ToSubTask(DmTask apiTask, SourceConfig source)
    {
        if (apiTask.TaskConfigFile is { Length: > 0 })
            return DmTaskFile.ToSubTasks(apiTask with
            {
                SourceConfig = apiTask.SourceConfig with { SourceConf = [new TaskSourceConf { SourceName = source.SourceId }] },
            }, new Dictionary<string, SourceConfig> { [source.SourceId] = source })[0];
        var task = ApiTaskDefaults.Adjust(apiTask);
        CheckSourceCount(task);
        var conf = task.SourceConfig.SourceConf.FirstOrDefault(c => c.SourceName == source.SourceId)
            ?? throw DmErrors.ErrConfigSourceIDNotFound.New(source.SourceId);
        return Convert(task, conf, source);
    }

    private static void CheckSourceCount(DmTask task)
    {
        if (task.SourceConfig.FullMigrateConf?.ImportMode == ImportMode.ImportInto && task.SourceConfig.SourceConf.Count > 1)
            throw DmErrors.ErrConfigImportIntoShardingNotSupport.New();
    }

    /// <summary>One source's subtask of an adjusted task.</summary>
    private static SubTaskConfig Convert(DmTask task, TaskSourceConf conf, SourceConfig source)
    {
        var filterTemplates = (task.BinlogFilterRule ?? []).ToDictionary(
            kv => kv.Key,
            kv => new BinlogEventRule { Action = "Ignore", Events = kv.Value.IgnoreEvent is null ? [] : [.. kv.Value.IgnoreEvent], SqlPattern = kv.Value.IgnoreSql is null ? [] : [.. kv.Value.IgnoreSql] },
            StringComparer.Ordinal);
        var full = task.SourceConfig.FullMigrateConf;
        var incr = task.SourceConfig.IncrMigrateConf;
        var st = new SubTaskConfig
        {
            Name = task.Name,
            Mode = ApiEnumNames.Of(task.TaskMode),
            MetaSchema = task.MetaSchema!,
            Meta = conf.BinlogGtid is null && conf.BinlogName is null && conf.BinlogPos is null ? null : new BinlogMeta
            {
                BinlogGtid = conf.BinlogGtid ?? "",
                BinlogName = conf.BinlogName ?? "",
                BinlogPos = (uint)(conf.BinlogPos ?? 0),
            },
            IsSharding = task.ShardMode is not null,
            ShardMode = task.ShardMode is { } mode ? ApiEnumNames.Of(mode) : "",
            StrictOptimisticShardMode = task.StrictOptimisticShardMode ?? false,
            OnlineDdl = task.EnhanceOnlineSchemaChange,
            CaseSensitive = source.CaseSensitive,
            Timezone = task.Timezone ?? "",
            SourceId = conf.SourceName,
            From = source.From.Clone(),
            To = TargetDb(task),
            Mydumper = new MydumperConfig(),
            Loader = FullConf(full, task.OnDuplicate),
            Syncer = new SyncerConfig
            {
                WorkerCount = incr?.ReplThreads ?? 16,
                Batch = incr?.ReplBatch ?? 100,
                SafeMode = incr?.SafeMode ?? false,
                // DM#'s default for a task without a task.yaml (the OpenAPI task has no such fields): compaction and
                // multi-row statements whenever the target allows them (DM's 20070 when it checks foreign keys).
                Compact = !TargetDb(task).ForeignKeyChecksOn,
                MultipleRows = !TargetDb(task).ForeignKeyChecksOn,
            },
            IgnoreCheckingItems = task.IgnoreCheckingItems is { Count: > 0 } items ? [.. items] : [],
        };
        if (full?.Consistency is { } consistency)
            st.Mydumper.ExtraArgs = "--consistency " + consistency;
        if (full?.ExportThreads is { } exportThreads)
            st.Mydumper.Threads = exportThreads;
        ApplyTableRules(st, task.TableMigrateRule.Where(r => r.Source.SourceName == conf.SourceName).ToList(), filterTemplates);
        st.ExpressionFilters = ExpressionFiltersOf(task, conf);
        try
        {
            st.Adjust();
        }
        catch (DmException ex)
        {
            throw new DmException(ex.Error, $"source name {conf.SourceName}: {ex.RawMessage}", ex.InnerException);
        }
        return st;
    }

    /// <summary>
    /// The expression filters a source applies: the names its <c>expression_filters</c> lists, every rule of the task when it
    /// lists none; each rule checked as task.yaml's are (20039, 20041, 20042).
    /// </summary>
    private static List<ExpressionFilter> ExpressionFiltersOf(DmTask task, TaskSourceConf conf)
    {
        var rules = task.ExpressionFilter ?? [];
        var names = conf.ExpressionFilters ?? [.. rules.Keys];
        var filters = new List<ExpressionFilter>();
        foreach (var name in names)
        {
            if (!rules.TryGetValue(name, out var rule))
                throw DmErrors.ErrOpenAPICommonError.WithMessage($"expression filter name {name} not found.");
            var filter = new ExpressionFilter
            {
                Schema = rule.Schema,
                Table = rule.Table,
                InsertValueExpr = rule.InsertValueExpr ?? "",
                UpdateOldValueExpr = rule.UpdateOldValueExpr ?? "",
                UpdateNewValueExpr = rule.UpdateNewValueExpr ?? "",
                DeleteValueExpr = rule.DeleteValueExpr ?? "",
            };
            filter.Validate(name);
            filters.Add(filter);
        }
        return filters;
    }

    private static DbConfig TargetDb(DmTask task)
    {
        var t = task.TargetConfig;
        var db = new DbConfig { Host = t.Host, Port = t.Port, User = t.User, Password = t.Password };
        if (t.Security is { } s)
            db.Security = new SecurityConfig { SslCaBytes = s.SslCaContent, SslKeyBytes = s.SslKeyContent, SslCertBytes = s.SslCertContent, CertAllowedCn = s.CertAllowedCn is null ? [] : [.. s.CertAllowedCn] };
        if (t.Session?.ForeignKeyChecks is { } fk)
            db.Session = new(StringComparer.Ordinal) { ["foreign_key_checks"] = ApiEnumNames.Of(fk) };
        return db;
    }

    private static LoaderConfig FullConf(TaskFullMigrateConf? full, OnDuplicate onDuplicate)
    {
        // DM's converter leaves on-duplicate-logical at its default unless on_duplicate_logical is given;
        // we also honour the task-level on_duplicate so that it survives a round trip.
        var l = new LoaderConfig { OnDuplicateLogical = ApiEnumNames.Of(onDuplicate) };
        if (full is null)
            return l;
        if (full.Analyze is { } analyze)
            l.Analyze = ApiEnumNames.Of(analyze);
        if (full.Checksum is { } checksum)
            l.ChecksumPhysical = ApiEnumNames.Of(checksum);
        if (full.CompressKvPairs is { } compress)
            l.CompressKvPairs = compress;
        if (full.ImportThreads is { } importThreads)
            l.PoolSize = importThreads;
        if (full.DataDir is { } dir)
            l.Dir = dir;
        if (full.DiskQuota is { } quota)
            l.DiskQuotaPhysical = ByteSize.TryParse(quota, out var bytes) ? bytes : throw DmErrors.ErrOpenAPICommonError.WithMessage($"invalid disk_quota \"{quota}\"");
        if (full.ImportMode is { } importMode)
            l.ImportMode = ApiEnumNames.Of(importMode);
        if (full.OnDuplicateLogical is { } logical)
            l.OnDuplicateLogical = ApiEnumNames.Of(logical);
        if (full.OnDuplicatePhysical is { } physical)
            l.OnDuplicatePhysical = ApiEnumNames.Of(physical);
        if (full.PdAddr is { } pd)
            l.PdAddr = pd;
        if (full.Security is { } s)
        {
            if (s.SslCaContent.Length == 0 || s.SslCertContent.Length == 0 || s.SslKeyContent.Length == 0)
                throw DmErrors.ErrOpenAPICommonError.WithMessage("Invalid security config, full migrate conf's security fields should not be \"\"");
            l.Security = new SecurityConfig { SslCaBytes = s.SslCaContent, SslCertBytes = s.SslCertContent, SslKeyBytes = s.SslKeyContent, CertAllowedCn = s.CertAllowedCn is null ? [] : [.. s.CertAllowedCn] };
        }
        if (full.RangeConcurrency is { } range)
            l.RangeConcurrency = range;
        if (full.SortingDir is { } sorting)
            l.SortingDirPhysical = sorting;
        return l;
    }

    private static void ApplyTableRules(SubTaskConfig st, List<TaskTableMigrateRule> rules, Dictionary<string, BinlogEventRule> filterTemplates)
    {
        var doDbs = new List<string>();
        var doTables = new List<TablePattern>();
        foreach (var rule in rules)
        {
            if (rule.Target is { } target && (target.Schema is not null || target.Table is not null ||
                                              target.ExtractTable is not null || target.ExtractSchema is not null || target.ExtractSource is not null))
            {
                st.RouteRules.Add(new RouteRule
                {
                    SchemaPattern = rule.Source.Schema,
                    TablePattern = rule.Source.Table,
                    TargetSchema = target.Schema ?? "",
                    TargetTable = target.Table ?? "",
                    ExtractTable = target.ExtractTable,
                    ExtractSchema = target.ExtractSchema,
                    ExtractSource = target.ExtractSource,
                });
            }
            foreach (var name in rule.BinlogFilterRule ?? [])
            {
                if (!filterTemplates.TryGetValue(name, out var template))
                    throw DmErrors.ErrOpenAPICommonError.WithMessage($"filter rule name {name} not found.");
                st.FilterRules.Add(template with
                {
                    SchemaPattern = rule.Source.Schema,
                    TablePattern = rule.Source.Table.Length > 0 ? rule.Source.Table : template.TablePattern,
                    Events = [.. template.Events],
                    SqlPattern = [.. template.SqlPattern],
                });
            }
            if (rule.Source.Table.Length > 0)
                doTables.Add(new TablePattern(rule.Source.Schema, rule.Source.Table));
            else
                doDbs.Add(rule.Source.Schema);
        }
        if (doDbs.Count > 0 || doTables.Count > 0)
            st.BlockAllowList = new BlockAllowListRules { DoDbs = doDbs.Distinct(StringComparer.Ordinal).ToList(), DoTables = doTables };
    }
}
