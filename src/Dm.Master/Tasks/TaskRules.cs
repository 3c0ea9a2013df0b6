using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Master.Sources;

namespace Dm.Master.Tasks;

/// <summary>Checks of an API task that need no database: names, references between its parts, enums' combinations.</summary>
public static class TaskRules
{
    /// <summary>
    /// Checks what DM's task config validation does not see (references between the task's own parts)
    /// and applies DM's API defaults (meta schema, timezone check); returns the adjusted task.
    /// </summary>
    public static DmTask Adjust(DmTask task)
    {
        SourceRules.Name("name", task.Name);
        // Never truncated: the task's meta tables are named after it.
        if (task.Name.Length > DownstreamMeta.MaxTaskNameLength)
            throw Invalid($"task name {task.Name} is {task.Name.Length} characters long: at most {DownstreamMeta.MaxTaskNameLength}, " +
                "so that its meta tables (such as `<name>_lightning_checkpoint_list`) fit MySQL's 64-character names");
        var sources = task.SourceConfig.SourceConf;
        if (sources.Count == 0) throw Invalid("source_config.source_conf must name at least one source");
        foreach (var s in sources) SourceRules.SourceName("source_config.source_conf.source_name", s.SourceName);
        var duplicate = sources.GroupBy(s => s.SourceName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw Invalid($"source {duplicate.Key} appears twice in source_config.source_conf");
        if (string.IsNullOrWhiteSpace(task.TargetConfig.Host)) throw Invalid("target_config.host must not be empty");
        if (task.TargetConfig.Port is < 1 or > 65535) throw Invalid($"target_config.port must be within 1..65535, got {task.TargetConfig.Port}");
        if (string.IsNullOrEmpty(task.TargetConfig.User)) throw Invalid("target_config.user must not be empty");

        var filters = task.BinlogFilterRule ?? new SortedDictionary<string, TaskBinLogFilterRule>();
        foreach (var rule in task.TableMigrateRule)
        {
            // A rule for a source the task does not read is inert, as in DM (its OpenAPI guide's own example has one).
            if (string.IsNullOrEmpty(rule.Source.Schema)) throw Invalid("table_migrate_rule.source.schema must not be empty");
            foreach (var name in rule.BinlogFilterRule ?? [])
                if (!filters.ContainsKey(name)) throw Invalid($"table_migrate_rule uses binlog_filter_rule {name}, which is not defined");
        }

        // Thread counts and batch sizes are bounded in one place, UnitBounds (26005 naming the key, 0 = DM's default), when
        // the task's subtasks are built: on create, update, check, conversion and templates alike.
        if (task.SourceConfig.FullMigrateConf is { ImportMode: ImportMode.ImportInto } && sources.Count > 1)
            throw Invalid("import-into mode does not support sharding");
        return ApiTaskDefaults.Adjust(string.IsNullOrEmpty(task.MetaSchema) ? task with { MetaSchema = null } : task);
    }

    public static DmException Invalid(string message) => DmErrors.ErrOpenAPICommonError.Wrap(new ArgumentException(message));
}
