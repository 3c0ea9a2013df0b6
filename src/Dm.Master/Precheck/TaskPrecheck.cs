using Dm.Core.Config;
using Dm.Core.Upstream;
using Dm.Master.Precheck.Checks;

namespace Dm.Master.Precheck;

/// <summary>
/// DM's check-task: reads each source and the target once, then runs the checking items the task mode calls for
/// (minus ignore-checking-items) concurrently, never holding more than <see cref="PrecheckRequest.MaxConnections"/>
/// connections. A database that cannot be opened is error 26002; failures in the checks come back in the report
/// (and <see cref="PrecheckReport.CheckResultMessage"/> turns them into 26005).
/// </summary>
public static class TaskPrecheck
{
    /// <summary>DM bounds the whole check (30 min); a single read has 30 s (the connector's command timeout).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    /// <summary>Runs the precheck and returns DM's check_result text; throws 26005 (or 2600x / 10001) on failure.</summary>
    public static async Task<string> CheckAsync(PrecheckRequest request, CancellationToken cancellationToken) =>
        (await RunAsync(request, cancellationToken)).CheckResultMessage();

    /// <summary>Runs the precheck and returns every result (none when every item is ignored: DM then checks nothing).</summary>
    public static async Task<PrecheckReport> RunAsync(PrecheckRequest request, CancellationToken cancellationToken)
    {
        if (request.Mode is not ("all" or "full" or "incremental" or "dump" or "load"))
            throw new UpstreamException(UpstreamErrorCodes.InvalidTaskMode,
                "please specify right task-mode, support `full`, `incremental`, `all`, `dump`, `load`, " +
                "Workaround: Please check the `task-mode` config in task configuration file.");
        var items = CheckingItemSelection.ToRun(request.IgnoreCheckingItems);
        if (items.Count == 0 || request.Sources.Count == 0) return new PrecheckReport([], request.ErrorLimit, request.WarnLimit);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var ct = timeout.Token;
        using var budget = new ConnectionBudget(request.MaxConnections);

        var targetTask = SnapshotReader.ReadTargetAsync(request, budget, ct);
        var sourceTasks = request.Sources.Select(s => SnapshotReader.ReadSourceAsync(s, budget, ct)).ToList();
        try
        {
            await Task.WhenAll(sourceTasks.Cast<Task>().Append(targetTask));
        }
        catch (Exception)
        {
            // every read has finished; the first failure in source order (then the target) is rethrown below
        }
        var sources = new List<SourceSnapshot>();
        foreach (var t in sourceTasks) sources.Add(await t);
        var target = await targetTask;
        SnapshotReader.DetectCaseCollisions(sources);

        var plan = Plan(request, items, sources, target, budget);
        var results = await Task.WhenAll(plan.Select(p => p.Run(ct)));
        for (var i = 0; i < results.Length; i++) results[i].Id = i;
        return new PrecheckReport(results, request.ErrorLimit, request.WarnLimit) { PeakConnections = budget.Peak };
    }

    private static List<PrecheckItem> Plan(PrecheckRequest request, IReadOnlySet<string> items, List<SourceSnapshot> sources,
        TargetSnapshot target, ConnectionBudget budget)
    {
        var plan = new List<PrecheckItem>();
        void Add(string item, Func<CheckResult> check)
        {
            if (items.Contains(item)) plan.Add(new PrecheckItem(item, _ => Task.FromResult(check())));
        }

        Add(CheckingItems.TargetPrivilege, () => PrivilegeChecks.Target(target));
        if (request.HasDump) Add(CheckingItems.ConnNumber, () => ConnNumberCheck.Loader(target, sources.Count, request.LoaderPoolSize));
        foreach (var s in sources)
        {
            Add(CheckingItems.Version, () => ServerSettingChecks.Version(s));
            if (request.HasDump)
            {
                Add(CheckingItems.DumpPrivilege, () => PrivilegeChecks.Dump(s, request.Consistency));
                Add(CheckingItems.ConnNumber, () => ConnNumberCheck.Dumper(s, request.DumpThreads));
            }
            if (request.HasSync)
            {
                Add(CheckingItems.ServerId, () => ServerSettingChecks.ServerId(s));
                Add(CheckingItems.BinlogEnable, () => ServerSettingChecks.BinlogEnable(s));
                Add(CheckingItems.BinlogFormat, () => ServerSettingChecks.BinlogFormat(s));
                Add(CheckingItems.BinlogRowImage, () => ServerSettingChecks.BinlogRowImage(s));
                Add(CheckingItems.ReplicationPrivilege, () => PrivilegeChecks.Replication(s));
                Add(CheckingItems.BinlogDb, () => ServerSettingChecks.BinlogDb(s));
                if (request.OnlineDdl) Add(CheckingItems.OnlineDdl, () => OnlineDdlCheck.Run(s, request.ShadowTableRules));
            }
            if (!request.HasDump && request.HasSync && s.Source.Meta is { } meta && !s.Source.EnableRelay && items.Contains(CheckingItems.MetaPosition))
                plan.Add(new PrecheckItem(CheckingItems.MetaPosition, ct => MetaPositionCheck.RunAsync(s, meta, budget, ct)));
        }
        if (items.Contains(CheckingItems.TableSchema))
            plan.Add(new PrecheckItem(CheckingItems.TableSchema, ct => TableSchemaCheck.RunAsync(sources, target, budget, ct)));

        // Shard structure is compared only before the first dump: once checkpoints exist the tables may have diverged.
        if (items.Contains(CheckingItems.ShardTableSchema) && request.ShardMode is ("pessimistic" or "optimistic") && request.HasDump && !target.HasCheckpoints)
        {
            var groups = sources
                .SelectMany(s => s.Tables.Select(t => (Snapshot: s, Table: t.Source, t.Target)))
                .GroupBy(m => m.Target)
                .Where(g => g.Count() > 1);
            foreach (var group in groups.OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
            {
                var members = group.Select(m => (m.Snapshot, m.Table)).ToList();
                plan.Add(new PrecheckItem(CheckingItems.ShardTableSchema, ct => ShardTablesCheck.RunAsync(group.Key, members,
                    request.ShardMode == "pessimistic", items.Contains(CheckingItems.ShardAutoIncrementId), budget, ct)));
            }
        }
        return plan;
    }
}
