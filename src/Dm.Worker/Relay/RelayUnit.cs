using System.Diagnostics;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Errors;
using Dm.Worker.Subtasks;
using Dm.Worker.Units;

namespace Dm.Worker.Relay;

/// <summary>
/// DM's relay unit for one source: pulls the upstream's binlog as a replica and keeps a local copy of it
/// (<see cref="RelayLog"/>) that Sync reads instead of the upstream. Each pull first recovers the newest sub-directory
/// (<see cref="RelayRecovery"/>), then continues where it ends; an upstream with another server identity starts a new
/// sub-directory (found by GTID set: DM's 30034 when the source has no enable-gtid); a relay with nothing yet starts where
/// <see cref="RelayStartPoint"/> says. Events go through <see cref="RelayWriter"/>, flushed to readers whenever the
/// upstream has nothing more at once, made durable with the meta every second. A failure pauses the unit with DM's error;
/// it is resumed after DM's backoff unless the error needs the user (the upstream purged what the relay needs). The
/// purges (<see cref="RelayPurger"/>) run beside it.
/// </summary>
internal sealed class RelayUnit : IAsyncDisposable
{
    private static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MasterInterval = TimeSpan.FromSeconds(2);

    private readonly RelayUnitSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    // The automatic purge runs for the unit's whole life; the pull loop from each resume to the next pause.
    private readonly RelayPurger _purger;
    private readonly CancellationTokenSource _life = new();
    private readonly Task _purging;
    // Taken to start and stop the pull loop; a loop starts after the one before it ended.
    private readonly object _gate = new();
    private readonly ResumeBackoff _backoff;
    private CancellationTokenSource? _run;
    private Task _loop = Task.CompletedTask;
    private long _generation = -1;
    private long? _stoppedOnErrorAt;
    private volatile RelayProgress _progress = new(null, null, null, null);
    private volatile string? _error;
    private volatile string _stage = nameof(TaskStage.Paused);

    public RelayUnit(RelayUnitSettings settings, RelayLog log, ILogger logger, TimeProvider? time = null)
    {
        _settings = settings;
        Log = log;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _backoff = new ResumeBackoff(_time);
        _purger = new RelayPurger(log, settings.Source.Purge, settings.Tasks, _time, logger);
        _purging = Task.Run(() => _purger.RunAsync(_life.Token));
    }

    public RelayLog Log { get; }

    public string SourceName => _settings.Source.SourceId;

    /// <summary>
    /// Converges on the stage the master expects: Running pulls, anything else pauses (the files stay). A relay stopped on
    /// an error that needs the user stays stopped until the master's <paramref name="generation"/> changes (resume-relay);
    /// a running one is restarted by a new generation.
    /// </summary>
    public void Expect(TaskStage stage, long generation)
    {
        lock (_gate)
        {
            if (stage == TaskStage.Running)
            {
                if (_run is not null && generation == _generation) return;
                if (_run is null && _stoppedOnErrorAt == generation) return;
                var replaced = _run;
                replaced?.Cancel();
                _generation = generation;
                _stoppedOnErrorAt = null;
                _run = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
                _stage = nameof(TaskStage.Running);
                _error = null;
                var token = _run.Token;
                var previous = _loop;
                _loop = Task.Run(async () =>
                {
                    await previous.ContinueWith(_ => { }, TaskScheduler.Default); // one pull at a time
                    replaced?.Dispose();
                    await RunAsync(token, generation);
                });
            }
            else if (_run is { } cancelled)
            {
                _run = null;
                cancelled.Cancel();
                _loop = _loop.ContinueWith(_ => cancelled.Dispose(), TaskScheduler.Default);
                _stage = nameof(TaskStage.Paused);
            }
            else
            {
                _stage = nameof(TaskStage.Paused);
                if (!Log.Ready)
                {
                    var previous = _loop;
                    _loop = Task.Run(async () =>
                    {
                        await previous.ContinueWith(_ => { }, TaskScheduler.Default);
                        await RecoverFilesAsync();
                    });
                }
            }
        }
    }

    /// <summary>DM's purge-relay: every file before <paramref name="file"/> that nothing needs (DM's 30037 naming what does).</summary>
    public Task<IReadOnlyList<string>> PurgeBeforeAsync(string file, string? subDirectory, CancellationToken cancellationToken) =>
        _purger.PurgeBeforeAsync(file, subDirectory, cancellationToken);

    /// <summary>DM's relay status: the upstream's position, how far the relay has it, the sub-directory, the stage and its error.</summary>
    public (RelayStatus Status, string? Error) Status()
    {
        var progress = _progress;
        var caughtUp = progress.Relay is { } relay && progress.Master is { } master &&
                       relay.Position.FileName == master.FileName && relay.Position.Position >= master.Offset;
        return (new RelayStatus
        {
            MasterBinlog = progress.Master?.Position.ToDmString() ?? "",
            MasterBinlogGtid = progress.Master?.GtidText ?? "",
            RelayDir = progress.SubDirectory ?? Log.Directory.Current?.Name ?? "",
            RelayBinlogGtid = progress.RelayGtid ?? "",
            RelayCatchUpMaster = caughtUp,
            Stage = _stage,
        }, _error);
    }

    public async ValueTask DisposeAsync()
    {
        Task loop;
        lock (_gate)
        {
            _run?.Cancel();
            loop = _loop;
        }
        await _life.CancelAsync();
        try { await Task.WhenAll(loop, _purging); }
        catch (OperationCanceledException) { }
        _life.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken, long generation)
    {
        _backoff.Restart();
        try
        {
            // Readers get what the relay holds even while the upstream cannot be reached.
            if (!Log.Ready) await RecoverFilesAsync();
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await PullAsync(cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    var (error, kind) = Classify(e);
                    _error = error.ToErrorMessage();
                    _stage = nameof(TaskStage.Paused);
                    if (!DatabaseErrorPolicy.AutoResumes(kind))
                    {
                        _logger.LogError("relay of {Source} paused, the error needs the user (resume-relay after fixing it): {Error}", SourceName, error.Message);
                        lock (_gate) _stoppedOnErrorAt = generation;
                        return;
                    }
                    var wait = _backoff.Next();
                    _logger.LogWarning("relay of {Source} paused ({Kind}), resuming in {Wait}: {Error}", SourceName, kind, wait, error.Message);
                    await _backoff.WaitAsync(wait, cancellationToken);
                    _error = null;
                    _stage = nameof(TaskStage.Running);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_gate)
            {
                if (_run?.Token == cancellationToken)
                {
                    _run.Dispose();
                    _run = null;
                }
            }
            if (_error is null && _run is null) _stage = nameof(TaskStage.Paused);
            Log.Signal();
        }
    }

    /// <summary>One pull: recover, find where to go on, stream until cancelled; any failure throws.</summary>
    private async Task PullAsync(CancellationToken cancellationToken)
    {
        var endpoint = DbConfigEndpoint.From(_settings.Source.From);
        ServerInfo info;
        string uuid;
        MasterStatus master;
        await using (var inspector = await UpstreamInspector.ConnectAsync(endpoint, cancellationToken))
        {
            info = await inspector.ReadServerInfoAsync(cancellationToken);
            uuid = await inspector.ReadServerUuidAsync(info, cancellationToken);
            master = await inspector.ReadMasterStatusAsync(info, cancellationToken);
        }
        var client = UpstreamReplica.Options(endpoint, UpstreamReplica.ServerId(_settings.Source.ServerId, "relay " + _settings.WorkerName));
        var (subDirectory, start, executed) = await PrepareAsync(info, uuid, master, client, cancellationToken);
        _logger.LogInformation("relay of {Source} pulls {Upstream} (server {Uuid}) from {Start} into {Directory}",
            SourceName, endpoint.Address, uuid, start, subDirectory.Path);
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var masterLoop = FollowMasterAsync(endpoint, info, polling.Token);
        try
        {
            using var writer = new RelayWriter(subDirectory, Log, start, executed, _settings.OpenFile);
            await StreamAsync(new BinlogClient(client with { StartPosition = start, StartGtid = executed }), writer, subDirectory, cancellationToken);
        }
        finally
        {
            await polling.CancelAsync();
            try { await masterLoop; } catch (OperationCanceledException) { }
        }
    }

    /// <summary>
    /// Recovers the newest sub-directory and decides where the stream starts: its end; a new sub-directory after an upstream
    /// change (GTID needed); or the start point of an empty relay.
    /// </summary>
    private async Task<(RelaySubDirectory Directory, BinlogPosition Start, GtidSet? Executed)> PrepareAsync(ServerInfo info, string uuid,
        MasterStatus master, BinlogClientOptions client, CancellationToken cancellationToken)
    {
        await Log.FilesGate.WaitAsync(cancellationToken);
        try
        {
            var current = Log.Directory.Current;
            var resume = Recover();
            if (current is not null && resume?.Position is { } position)
            {
                if (current.Uuid == uuid) return (current, position, resume.Gtid);
                // Another server answers at the upstream's address (a failover): its files are another sub-directory.
                if (!_settings.Source.EnableGtid) throw DmErrors.ErrRelaySwitchMasterNeedGTID.New();
                var executed = resume.Gtid ?? throw DmErrors.ErrRelayTCPReaderNilGTID.New();
                var file = await RelayStartPoint.FileAfterAsync(client, executed, cancellationToken);
                _logger.LogInformation("relay of {Source}: the upstream is now server {Uuid} (was {Previous}); it goes on after {Gtid} from {File}",
                    SourceName, uuid, current.Uuid, executed, file);
                return (Log.Directory.Add(uuid), new BinlogPosition(file, 4), executed);
            }
            var (start, why) = await RelayStartPoint.ResolveAsync(_settings.Source, _settings.Tasks, client, master, info.GtidFlavor, cancellationToken);
            _logger.LogInformation("relay of {Source} starts at {Start}: {Why}", SourceName, start, why);
            return (current is not null && current.Uuid == uuid ? current : Log.Directory.Add(uuid), start, null);
        }
        finally
        {
            // Recovered (or nothing to recover): readers may look now, and wait for what comes.
            Log.MarkReady();
            Log.FilesGate.Release();
        }
    }

    /// <summary>Recovers the newest sub-directory (callers hold the files gate) and shows readers its whole events.</summary>
    private RelayResume? Recover()
    {
        var current = Log.Directory.Current;
        var resume = current is null ? null : RelayRecovery.Recover(current, Log.Flavor, _logger);
        if (resume?.Active is { } active) Log.Publish(active.SubDirectory, active.File, active.Length);
        return resume;
    }

    /// <summary>
    /// Recovers the files without the upstream, so that a relay paused from the start, or one whose upstream cannot be
    /// reached, still serves what it holds.
    /// </summary>
    private async Task RecoverFilesAsync()
    {
        await Log.FilesGate.WaitAsync(_life.Token);
        try
        {
            Recover();
        }
        catch (Exception e) when (e is DmException or IOException)
        {
            _error = (e as DmException ?? DmErrors.ErrRelayLoadMetaData.Wrap(e)).ToErrorMessage();
            _logger.LogError("relay of {Source} cannot recover its files: {Error}", SourceName, e.Message);
        }
        finally
        {
            Log.MarkReady();
            Log.FilesGate.Release();
        }
    }

    /// <summary>
    /// Copies the stream into the writer. Whenever the upstream has nothing more at once the buffer goes to the file (and
    /// readers are told); at most every second, between transactions, the file is made durable and the meta written.
    /// </summary>
    private async Task StreamAsync(BinlogClient client, RelayWriter writer, RelaySubDirectory directory, CancellationToken cancellationToken)
    {
        var lastSync = Stopwatch.GetTimestamp();
        var lastReport = 0L;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var events = client.ReadRawEventsAsync(reading.Token).GetAsyncEnumerator(reading.Token);
        while (true)
        {
            var next = events.MoveNextAsync();
            if (!next.IsCompleted)
            {
                try
                {
                    writer.Flush();
                    Report(writer, directory);
                    if (Stopwatch.GetElapsedTime(lastSync) >= SyncInterval)
                    {
                        writer.Sync();
                        lastSync = Stopwatch.GetTimestamp();
                    }
                }
                catch (Exception)
                {
                    // The file failed (a full disk) while a read is in flight: that read ends first, since disposing the
                    // stream under it would fail and hide this error.
                    await reading.CancelAsync();
                    try { await next; }
                    catch (Exception) when (reading.IsCancellationRequested) { }
                    throw;
                }
            }
            bool more;
            try
            {
                more = await next;
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not DmException)
            {
                throw Upstream(e, client.Position);
            }
            if (!more) throw DmErrors.ErrRelayTCPReaderGetEvent.WithMessage("the upstream ended the binlog stream", new EndOfStreamException());
            writer.Write(events.Current);
            if (Stopwatch.GetElapsedTime(lastSync) >= SyncInterval)
            {
                writer.Sync();
                lastSync = Stopwatch.GetTimestamp();
            }
            if (Stopwatch.GetElapsedTime(lastReport) >= TimeSpan.FromMilliseconds(200))
            {
                Report(writer, directory);
                lastReport = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>The upstream's position, read every two seconds for the status (how far behind the relay is).</summary>
    private async Task FollowMasterAsync(DatabaseEndpoint endpoint, ServerInfo info, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var inspector = await UpstreamInspector.ConnectAsync(endpoint, cancellationToken);
                while (!cancellationToken.IsCancellationRequested)
                {
                    var master = await inspector.ReadMasterStatusAsync(info, cancellationToken);
                    _progress = _progress with { Master = master.Location };
                    await Task.Delay(MasterInterval, _time, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogDebug("relay of {Source} cannot read the upstream's position: {Error}", SourceName, e.Message);
                await Task.Delay(MasterInterval, _time, cancellationToken);
            }
        }
    }

    private void Report(RelayWriter writer, RelaySubDirectory directory) =>
        _progress = _progress with
        {
            Relay = new BinlogLocation(writer.Position),
            RelayGtid = writer.ExecutedGtid?.ToString(),
            SubDirectory = directory.Name,
        };

    /// <summary>DM's error for the upstream failing the stream: the binlog it needs purged (naming the file) needs the user; a lost connection is retried.</summary>
    private static DmException Upstream(Exception e, BinlogPosition at)
    {
        var (read, kind) = DatabaseErrorPolicy.ForBinlogRead(e);
        return kind == ErrorKind.NeedsUser
            ? DmErrors.ErrRelayTCPReaderStartSync.WithMessage(
                $"the upstream cannot send binlog {at.FileName} from {at.Position} to the relay (purged on the upstream?): {e.Message}", read)
            : DmErrors.ErrRelayTCPReaderGetEvent.WithMessage($"reading the upstream's binlog at {at} failed: {e.Message}", read);
    }

    private static (DmException Error, ErrorKind Kind) Classify(Exception e)
    {
        var error = e as DmException ?? (DatabaseErrorPolicy.IsConnectionLost(e)
            ? DmErrors.ErrDBBadConn.Wrap(e)
            : DmErrors.ErrRelayTCPReaderGetEvent.WithMessage(e.Message, e));
        var kind = error.Code == DmErrors.ErrRelayWriterFileOperate.Code ? ErrorKind.Transient : DatabaseErrorPolicy.Classify(error);
        return (error, kind);
    }

    /// <summary>What the status shows, replaced whole (read from other threads).</summary>
    private sealed record RelayProgress(BinlogLocation? Master, BinlogLocation? Relay, string? RelayGtid, string? SubDirectory);
}

/// <summary>
/// What a relay unit runs with: the source's config (connection, server id, relay start, purge), the worker's name, the
/// source's tasks, and how relay files are opened for writing (the writer's own way when null; a test puts them on a full disk).
/// </summary>
internal sealed record RelayUnitSettings(SourceConfig Source, string WorkerName, RelayTaskCheckpoints Tasks, Func<string, FileStream>? OpenFile = null);
