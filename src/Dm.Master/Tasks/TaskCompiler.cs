using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Rules;
using Dm.Core.Upstream;
using Dm.Master.Precheck;
using Dm.Master.Sources;
using Dm.Master.State;

namespace Dm.Master.Tasks;

/// <summary>
/// Turns an API task into DM's configs against the stored sources: per-source subtask configs (with
/// their block-allow list and routes), the task.yaml model, and the pre-check request. Passwords are
/// revealed here only, on their way to a database connection or a worker.
/// </summary>
public sealed class TaskCompiler(SourceService sources, PasswordCipher secrets)
{
    public SourceService Sources => sources;

    /// <summary>The source configs a task names; a missing source is DM's 46008.</summary>
    public async Task<Dictionary<string, SourceConfig>> SourceConfigsAsync(DmTask task, CancellationToken ct)
    {
        var configs = new Dictionary<string, SourceConfig>(StringComparer.Ordinal);
        foreach (var conf in task.SourceConfig.SourceConf)
            configs[conf.SourceName] = ToSourceConfig(await sources.RequireAsync(conf.SourceName, ct));
        return configs;
    }

    public SourceConfig ToSourceConfig(StoredSource stored)
    {
        var cfg = SourceConverter.ToSourceConfig(stored.Source with
        {
            Password = secrets.Reveal(stored.Source.Password ?? ""),
            Security = secrets.RevealKey(stored.Source.Security),
        });
        cfg.ServerId = stored.ServerId;
        cfg.CaseSensitive = stored.CaseSensitive;
        return cfg;
    }

    public async Task<List<SubTaskConfig>> SubTasksAsync(DmTask task, CancellationToken ct) =>
        TaskConverter.ToSubTasks(Reveal(task), await SourceConfigsAsync(task, ct));

    /// <summary>DM's task.yaml model of the task, validated (DM's config error codes on failure).</summary>
    public async Task<TaskConfig> ToTaskConfigAsync(DmTask task, CancellationToken ct) =>
        TaskConverter.ToTaskConfig(Reveal(task), await SourceConfigsAsync(task, ct));

    /// <summary>
    /// <see cref="ToTaskConfigAsync"/> for a task to create or check: also refuses what DM# cannot run yet (never accepted and
    /// ignored). Both shard modes are coordinated (pessimistic, also what <c>is-sharding</c> alone means, and optimistic).
    /// </summary>
    public Task<TaskConfig> ToRunnableTaskConfigAsync(DmTask task, CancellationToken ct) => ToTaskConfigAsync(task, ct);

    /// <summary>The pre-check of the task: its sources with their rules, start points and GTID/relay settings, and its target.</summary>
    public PrecheckRequest PrecheckRequest(DmTask task, IReadOnlyList<SubTaskConfig> subTasks, IReadOnlyDictionary<string, SourceConfig> sourceConfigs,
        DatabaseEndpoint target) => new()
    {
        TaskName = task.Name,
        Mode = subTasks[0].Mode,
        Sources = subTasks.Select(s =>
        {
            var filter = s.CreateBlockAllowListFilter();
            var router = s.CreateTableRouter();
            var source = sourceConfigs[s.SourceId];
            return new PrecheckSource(s.SourceId, Endpoint(s.From))
            {
                Meta = s.Meta,
                EnableGtid = source.EnableGtid,
                EnableRelay = source.EnableRelay,
                SchemaFilter = schema => !SystemSchemas.Contains(schema) && filter.Match(schema, ""),
                TableFilter = (schema, table) => !SystemSchemas.Contains(schema) && filter.Match(schema, table),
                Router = t =>
                {
                    var (schema, table) = router.Route(t.Schema, t.Table);
                    return new TableRef(schema, table);
                },
            };
        }).ToList(),
        Target = target,
        IgnoreCheckingItems = task.IgnoreCheckingItems ?? [],
        ShardMode = subTasks[0].ShardMode,
        Consistency = task.SourceConfig.FullMigrateConf?.Consistency ?? "auto",
        DumpThreads = task.SourceConfig.FullMigrateConf?.ExportThreads ?? 4,
        LoaderPoolSize = task.SourceConfig.FullMigrateConf?.ImportThreads ?? 16,
        MetaSchema = task.MetaSchema ?? ApiTaskDefaults.MetaSchema,
    };

    public static DatabaseEndpoint Endpoint(DbConfig db) => DbConfigEndpoint.From(db);

    /// <summary>The task with its target password and TLS private keys in clear, for a connection or a worker.</summary>
    public DmTask Reveal(DmTask task) => WithSecrets(task, secrets.Reveal, secrets.RevealKey);

    /// <summary>The task as the store keeps it: target password and TLS private keys protected (encrypted with a secret key).</summary>
    public DmTask Protect(DmTask task) => WithSecrets(task, secrets.Protect, secrets.ProtectKey);

    private static DmTask WithSecrets(DmTask task, Func<string, string> password, Func<Security?, Security?> key) => task with
    {
        TargetConfig = task.TargetConfig with { Password = password(task.TargetConfig.Password), Security = key(task.TargetConfig.Security) },
        SourceConfig = task.SourceConfig.FullMigrateConf is { Security: not null } full
            ? task.SourceConfig with { FullMigrateConf = full with { Security = key(full.Security) } }
            : task.SourceConfig,
    };
}
