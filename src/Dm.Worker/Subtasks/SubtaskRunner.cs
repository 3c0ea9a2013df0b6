using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Worker.Errors;
using Dm.Worker.Units;

namespace Dm.Worker.Subtasks;

/// <summary>
/// One subtask (a task on this worker's source): runs its units in order by task mode, pauses when the
/// master expects Paused/Stopped, resumes from the units' checkpoints, and reports DM's SubTaskStatus. A failed unit
/// is resumed automatically after DM's backoff (<see cref="ResumeBackoff"/>) unless <see cref="DatabaseErrorPolicy"/>
/// says its error needs the user; then it stays paused until the user starts the task again.
/// </summary>
public sealed class SubtaskRunner : ISubtask
{
    private readonly SubTaskConfig _config;
    private readonly string _worker;
    private readonly IReadOnlyList<IUnit> _units;
    private readonly ILogger _logger;
    private readonly ResumeBackoff _backoff;
    private readonly object _gate = new();
    private CancellationTokenSource? _run;
    private Task _loop = Task.CompletedTask;
    private int _current;
    // Stopped until the master first expects Running (a task created but not started, as DM shows it).
    private TaskStage _stage = TaskStage.Stopped;
    private bool _started;
    private string? _error;
    private readonly HashSet<int> _initialised = [];
    private bool _checkedCheckpoint;
    private long _generation;
    private long? _stoppedOnErrorAt;
    // What the master last asked for: a run that is still stopping when Running is asked again starts anew once it has
    // stopped (the desired state wins, it is never dropped).
    private TaskStage _expected = TaskStage.Stopped;
    private long _expectedGeneration;
    private bool _disposed;

    /// <param name="backoff">Auto-resume's waits (DM's, on the system clock, by default).</param>
    public SubtaskRunner(SubTaskConfig config, string worker, IReadOnlyList<IUnit> units, ILogger logger, ResumeBackoff? backoff = null)
    {
        _config = config;
        _worker = worker;
        _units = units;
        _logger = logger;
        _backoff = backoff ?? new ResumeBackoff();
    }

    public string TaskName => _config.Name;

    /// <inheritdoc />
    public Dm.Worker.Sync.ISyncControl? SyncControl => _units.OfType<Dm.Worker.Sync.ISyncControl>().FirstOrDefault();

    /// <summary>Converges on the stage the master expects: Running runs (or resumes); anything else pauses.</summary>
    /// <param name="generation">The master's start generation: a subtask stopped on an error that auto-resume does not
    /// resume stays stopped until the user starts (resumes) it again, which changes the generation.</param>
    public void Expect(TaskStage expected, long generation = 0)
    {
        lock (_gate)
        {
            _expected = expected;
            _expectedGeneration = generation;
            if (expected == TaskStage.Running)
                StartIfIdle();
            else
                _run?.Cancel();
        }
    }

    /// <summary>Starts a run for the expected Running stage unless one is going (a stopping one calls this again when it ends). Under the gate.</summary>
    private void StartIfIdle()
    {
        if (_disposed || _expected != TaskStage.Running || _run != null || _stage == TaskStage.Finished) return;
        if (_stoppedOnErrorAt is { } stopped && stopped == _expectedGeneration) return;
        _stoppedOnErrorAt = null;
        _generation = _expectedGeneration;
        _run = new CancellationTokenSource();
        _stage = TaskStage.Running;
        _started = true;
        _error = null;
        var token = _run.Token;
        _loop = System.Threading.Tasks.Task.Run(() => RunAsync(token));
    }

    private async Task RunAsync(CancellationToken ct)
    {
        _backoff.Restart();
        try
        {
            if (_units.Count == 0)
            {
                Fail(DmErrors.ErrWorkerNoAvailUnits.New(_config.Name, _config.Mode));
                return;
            }
            while (!ct.IsCancellationRequested && _current < _units.Count)
            {
                var unit = _units[_current];
                UnitResult result;
                try
                {
                    if (!_checkedCheckpoint)
                    {
                        await SkipToSyncIfCheckpointedAsync(ct);
                        unit = _units[_current];
                    }
                    if (!_initialised.Contains(_current))
                    {
                        await unit.InitAsync(ct);
                        _initialised.Add(_current);
                    }
                    result = await unit.ProcessAsync(ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    result = UnitResult.Paused;
                }
                catch (Exception e)
                {
                    // Init (or a unit breaking its contract) failed: the policy tells a database that could not be
                    // reached (it may come back) from a config the user must fix.
                    var error = e as DmException ?? DmErrors.ErrDBDriverError.Wrap(e);
                    result = UnitResult.Failed(error, DatabaseErrorPolicy.Classify(error));
                }

                switch (result.Outcome)
                {
                    case UnitOutcome.Finished:
                        _logger.LogInformation("subtask {Task}: unit {Unit} finished", _config.Name, unit.Name);
                        _current++;
                        _backoff.Restart();
                        continue;
                    case UnitOutcome.Paused:
                        return;
                    default:
                        Fail(result.Error!);
                        if (!result.Resumable)
                        {
                            _logger.LogWarning("subtask {Task}: the error needs the user; not resumed automatically", _config.Name);
                            lock (_gate) _stoppedOnErrorAt = _generation;
                            return;
                        }
                        var wait = _backoff.Next();
                        _logger.LogWarning("subtask {Task}: {Kind} error, resuming in {Backoff}: {Error}", _config.Name, result.Kind, wait, result.Error!.Message);
                        // The status shows the error while it waits.
                        await _backoff.WaitAsync(wait, ct);
                        lock (_gate) { _stage = TaskStage.Running; _error = null; }
                        continue;
                }
            }
            if (_current >= _units.Count)
            {
                lock (_gate) _stage = TaskStage.Finished;
                _logger.LogInformation("subtask {Task} finished", _config.Name);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_gate)
            {
                if (_stage == TaskStage.Running) _stage = TaskStage.Paused;
                _run?.Dispose();
                _run = null;
                // Running was asked again while this run was stopping: run again.
                StartIfIdle();
            }
        }
    }

    /// <summary>
    /// A subtask whose Sync unit already has a checkpoint has finished its full copy (the dump files may be gone):
    /// start at Sync, as DM does. Checked once per runner; an unreachable target fails like any unit would.
    /// </summary>
    private async Task SkipToSyncIfCheckpointedAsync(CancellationToken ct)
    {
        if (_current != 0 || _units.Count < 2 || _units[^1] is not Dm.Worker.Sync.SyncUnit sync)
        {
            _checkedCheckpoint = true;
            return;
        }
        if (await sync.HasCheckpointAsync(ct))
        {
            _logger.LogInformation("subtask {Task}: sync checkpoint found, continuing at the Sync unit", _config.Name);
            _current = _units.Count - 1;
        }
        _checkedCheckpoint = true;
    }

    private void Fail(DmException error)
    {
        _logger.LogWarning("subtask {Task} paused on error: {Error}", _config.Name, error.Message);
        lock (_gate)
        {
            _stage = TaskStage.Paused;
            _error = error.ToErrorMessage();
        }
    }

    public SubTaskStatus Status()
    {
        lock (_gate)
        {
            // Before its first start a subtask has no unit at work, as in DM: no progress of a unit that never ran.
            var unit = _units.Count == 0 || !_started ? null : _units[Math.Min(_current, _units.Count - 1)];
            var unitStatus = unit?.Status();
            return new SubTaskStatus
            {
                Name = _config.Name,
                SourceName = _config.SourceId,
                WorkerName = _worker,
                Stage = _stage,
                Unit = unit?.Name ?? "InvalidUnit",
                DumpStatus = unitStatus?.Dump,
                LoadStatus = unitStatus?.Load,
                SyncStatus = unitStatus?.Sync,
                ErrorMsg = _error,
            };
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _run?.Cancel();
        }
        try { await _loop; }
        catch (OperationCanceledException) { }
        foreach (var unit in _units)
            if (unit is IAsyncDisposable d) await d.DisposeAsync();
    }
}
