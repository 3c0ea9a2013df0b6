using Dm.Contracts;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Worker.Checkpoints;
using Dm.Worker.Control;
using Dm.Worker.Dump;
using Dm.Worker.Hosting;
using Dm.Worker.Relay;
using Dm.Worker.Sync;
using Dm.Worker.Units;

namespace Dm.Worker.Subtasks;

/// <summary>
/// Keeps the subtasks this worker runs equal to its desired state: a runner per assigned task of the bound
/// source, built from the subtask config the master resolved for it and told the expected stage; runners of tasks no
/// longer assigned (or of a source no longer bound) are stopped and dropped. Their status goes up with the
/// heartbeats (<see cref="ISubtaskReporter"/>). A subtask whose assignment cannot be built into a runner is held as an
/// <see cref="UnbuildableSubtask"/>, so its error shows in the status; a changed assignment for that task is tried
/// again.
/// </summary>
public sealed class SubtaskSupervisor : IHostedService, ISubtaskReporter
{
    private readonly AssignmentBoard _board;
    private readonly WorkerOptions _options;
    private readonly DumpFileRegistry _dumpFiles;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (RunnerIdentity Identity, ISubtask Runner)> _runners = new(StringComparer.Ordinal);
    private string _source = "";
    // What heartbeats read: replaced (never mutated) under the gate, so a heartbeat never waits on it.
    private volatile ISubtask[] _published = [];
    // Set after _published, so a heartbeat that reads it first sends statuses at least as new.
    private long _appliedRevision;

    private readonly Sync.Sharding.IShardDdlCoordinator _shardDdl;
    private readonly RelayService? _relay;

    /// <param name="relay">The worker's relay logs, which Sync reads when this worker pulls its bound source's (null: never).</param>
    /// <param name="shardDdl">The worker's link to the master's shard-DDL locks (null: every sharding group is alone).</param>
    public SubtaskSupervisor(AssignmentBoard board, WorkerOptions options, DumpFileRegistry dumpFiles, ILoggerFactory loggers, RelayService? relay = null,
        ShardDdlMailbox? shardDdl = null)
    {
        _relay = relay;
        _shardDdl = shardDdl ?? (Sync.Sharding.IShardDdlCoordinator)Sync.Sharding.LoneShardDdlCoordinator.Instance;
        _board = board;
        _options = options;
        _dumpFiles = dumpFiles;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SubtaskSupervisor>();
    }

    /// <summary>
    /// What a runner is built from: its assignment but for the stage and start generation it is told, the bound
    /// source's config, and whether Sync reads the worker's relay log. A runner whose identity differs from the
    /// assignment's is rebuilt (relay turned on or off: its Sync goes on from the checkpoint with the other source).
    /// </summary>
    private readonly record struct RunnerIdentity(SubtaskAssignment Assignment, Contracts.Configs.SourceConfig? Source, bool ReadsRelay, long BoundEpoch)
    {
        public static RunnerIdentity Of(SubtaskAssignment assignment, Contracts.Configs.SourceConfig? source, bool readsRelay, long boundEpoch)
        {
            var build = assignment.Clone();
            build.ExpectedStage = Stage.Unspecified;
            build.StartGeneration = 0;
            return new RunnerIdentity(build, source, readsRelay, boundEpoch);
        }
    }

    /// <inheritdoc />
    public long AppliedRevision => Interlocked.Read(ref _appliedRevision);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _board.Changed += changed => _ = ApplyAsync();
        return ApplyAsync();
    }

    private async Task ApplyAsync()
    {
        await _gate.WaitAsync();
        // The newest state, whichever change woke this call: calls may take the gate out of order.
        var state = _board.Current;
        var applied = true;
        try
        {
            if (state.BoundSource != _source)
            {
                await StopAllAsync();
                _source = state.BoundSource;
            }
            if (_source == "") return;
            SourceConfig? source = null;
            DmException? sourceError = null;
            try
            {
                source = ContractMapping.ToConfig(state.Source
                    ?? throw new InvalidDataException($"the desired state binds source {_source} without its config"));
            }
            catch (Exception e) { sourceError = BuildError(e, $"source {_source}"); }
            var assigned = state.Subtasks.ToDictionary(s => s.Task, StringComparer.Ordinal);
            // As DM: while the worker pulls its bound source's relay log, every subtask reads that (paused or not) instead of the upstream.
            var readsRelay = _relay is not null && state.Relay is { } relay && relay.Source == _source;
            foreach (var name in _runners.Keys.Where(n => !assigned.ContainsKey(n)).ToList())
            {
                await _runners[name].Runner.DisposeAsync();
                _runners.Remove(name);
                _logger.LogInformation("subtask {Task} stopped: no longer assigned", name);
            }
            foreach (var assignment in assigned.Values)
            {
                var identity = RunnerIdentity.Of(assignment, state.Source, readsRelay, state.BoundEpoch);
                if (_runners.TryGetValue(assignment.Task, out var existing) && existing.Identity != identity)
                {
                    await existing.Runner.DisposeAsync();
                    _runners.Remove(assignment.Task);
                }
                if (!_runners.TryGetValue(assignment.Task, out var entry))
                {
                    entry = (identity, Build(assignment, source, sourceError, readsRelay, state.BoundEpoch));
                    _runners[assignment.Task] = entry;
                    Publish(); // listed from now on: a heartbeat must not miss a runner while others are still stopping
                }
                entry.Runner.Expect(ContractMapping.ToApi(assignment.ExpectedStage), assignment.StartGeneration);
            }
        }
        catch (Exception e)
        {
            applied = false;
            _logger.LogError(e, "cannot apply the desired state at revision {Revision}", state.Revision);
        }
        finally
        {
            Publish();
            if (applied && state.Revision > Interlocked.Read(ref _appliedRevision)) Interlocked.Exchange(ref _appliedRevision, state.Revision);
            _gate.Release();
        }
    }

    /// <summary>A runner for the assignment, or, when it cannot be built, a subtask that shows why.</summary>
    private ISubtask Build(SubtaskAssignment assignment, SourceConfig? source, DmException? sourceError, bool readsRelay, long boundEpoch)
    {
        var error = sourceError?.ToErrorMessage();
        if (source is not null)
        {
            if (assignment.ResolvedCase == SubtaskAssignment.ResolvedOneofCase.UnresolvedError)
            {
                error = assignment.UnresolvedError;
            }
            else
            {
                try
                {
                    var config = ContractMapping.ToConfig(assignment.Config
                        ?? throw new InvalidDataException($"the desired state assigns task {assignment.Task} without its config"));
                    return CreateRunner(config, source, assignment.StartTime, assignment.SafeModeTimeDuration?.ToTimeSpan(), readsRelay,
                        new TargetFence(config.MetaSchema, config.Name, config.SourceId, boundEpoch));
                }
                catch (Exception e) { error = BuildError(e, $"task {assignment.Task}").ToErrorMessage(); }
            }
        }
        _logger.LogError("subtask {Task} on source {Source} cannot run: {Error}", assignment.Task, _source, error);
        return new UnbuildableSubtask(assignment.Task, _source, _options.Name, error!);
    }

    /// <summary>The error to show for a desired state that cannot be built: DM's own when it is one, else DM's 20035.</summary>
    private static DmException BuildError(Exception e, string what) =>
        e as DmException ?? DmErrors.ErrConfigEtcdParse.Wrap(e, what);

    private void Publish() => _published = _runners.Values.Select(r => r.Runner).ToArray();

    /// <summary>The runner of a subtask config the master resolved for the bound source.</summary>
    /// <param name="startTime">start-task's start_time ("" when not given), DM's text in the upstream's time zone.</param>
    /// <param name="safeModeDuration">start-task's safe_mode_time_duration, when given.</param>
    /// <param name="readsRelay">Whether Sync reads the worker's relay log of the source instead of the upstream.</param>
    /// <param name="fence">The binding epoch every checkpoint write of the subtask carries.</param>
    private SubtaskRunner CreateRunner(SubTaskConfig config, SourceConfig source, string startTime, TimeSpan? safeModeDuration, bool readsRelay,
        TargetFence fence)
    {
        var units = new List<IUnit>();
        var sync = TaskConfig.HasSync(config.Mode) ? CreateSyncUnit(config, source, startTime, safeModeDuration, readsRelay, fence) : null;
        if (TaskConfig.HasDump(config.Mode) || TaskConfig.HasLoad(config.Mode))
        {
            var context = new FullCopyContext(config, DbConfigEndpoint.From(config.From), DbConfigEndpoint.From(config.To))
            {
                DumpFiles = _dumpFiles,
                Fence = fence,
                StreamCsv = _options.StreamCsv,
                DeferIndexes = _options.DeferIndexes,
                // Streaming needs both units here; a load-only task reads the files a dump left.
                Streaming = TaskConfig.HasDump(config.Mode) && TaskConfig.HasLoad(config.Mode),
                // Sync's start point is written before the dump files that hold it are removed.
                OnLoaded = sync is null ? null : sync.RecordStartAsync,
            };
            var (dump, load) = FullCopyUnits.Create(context);
            if (TaskConfig.HasDump(config.Mode)) units.Add(dump);
            if (TaskConfig.HasLoad(config.Mode)) units.Add(load);
        }
        if (sync is not null) units.Add(sync);
        _logger.LogInformation("subtask {Task} on source {Source}: units {Units}", config.Name, config.SourceId,
            string.Join(" → ", units.Select(u => u.Name)));
        if (config.To.MaxAllowedPacketWarning("target-database") is { } packetWarning)
            _logger.LogWarning("subtask {Task} on source {Source}: {Warning}", config.Name, config.SourceId, packetWarning);
        return new SubtaskRunner(config, _options.Name, units, _loggers.CreateLogger<SubtaskRunner>());
    }

    private SyncUnit CreateSyncUnit(SubTaskConfig config, SourceConfig source, string startTime, TimeSpan? safeModeDuration, bool readsRelay,
        TargetFence fence)
    {
        var settings = new SyncSettings(config, source, DbConfigEndpoint.From(config.From), DbConfigEndpoint.From(config.To))
        {
            Fence = fence,
            StartTime = startTime.Length > 0 ? startTime : null,
            SafeModeDuration = safeModeDuration,
            ShardDdl = _shardDdl,
            Relay = readsRelay ? _relay!.OpenLog(source) : null,
        };
        return new SyncUnit(settings, _loggers.CreateLogger<SyncUnit>());
    }

    /// <summary>The Sync unit of a subtask this worker runs, or null (no such subtask, or its mode has no Sync).</summary>
    public Dm.Worker.Sync.ISyncControl? FindSyncControl(string task) =>
        _published.FirstOrDefault(r => r.TaskName == task)?.SyncControl;

    /// <inheritdoc />
    public IReadOnlyList<SubTaskStatus> Statuses() => _published.Select(r => r.Status()).ToList();

    private async Task StopAllAsync()
    {
        foreach (var (_, runner) in _runners.Values) await runner.DisposeAsync();
        _runners.Clear();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await StopAllAsync();
            _published = [];
        }
        finally { _gate.Release(); }
    }
}
