using Dm.Binlog.Gtid;
using Dm.Contracts;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Control;
using Dm.Worker.Hosting;

namespace Dm.Worker.Relay;

/// <summary>
/// Keeps this worker's relay unit equal to its desired state: a <see cref="RelayUnit"/> for the source the master says it
/// pulls (its bound source with relay on, or the source it is a relay worker of), told the expected stage (pause-relay
/// pauses it; a new generation resumes one stopped on an error); stopped when the assignment goes (relay/disable: the
/// files stay). The relay directory is the worker's <c>relay-dir</c> when set, else the source's <c>relay_dir</c>. The
/// <see cref="RelayLog"/> of a directory outlives unit restarts, so Sync's readers keep their place. Reports the status
/// for the heartbeat and answers the master's purge.
/// </summary>
public sealed class RelayService : IHostedService, IAsyncDisposable
{
    private readonly AssignmentBoard _board;
    private readonly WorkerOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, RelayLog> _logs = new(StringComparer.Ordinal);
    private volatile RelayUnit? _unit;
    private RelayAssignment? _assignment;
    private volatile IReadOnlyList<SubTaskConfig> _tasks = [];

    public RelayService(AssignmentBoard board, WorkerOptions options, ILoggerFactory loggers)
    {
        _board = board;
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<RelayService>();
    }

    /// <summary>Whether this worker pulls a relay log now (its keepalive is then the relay one).</summary>
    public bool Relaying => _board.Current.Relay is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _board.Changed += changed => _ = ApplyAsync();
        return ApplyAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_unit is not null) await _unit.DisposeAsync();
            _unit = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The relay log's status for the heartbeat, null when this worker pulls none.</summary>
    public Contracts.Statuses.RelayReport? Report()
    {
        var unit = _unit;
        if (unit is null) return null;
        var (status, error) = unit.Status();
        var report = new Contracts.Statuses.RelayReport { Source = unit.SourceName, Status = ContractMapping.ToMessage(status) };
        if (error is not null) report.ErrorMsg = error;
        return report;
    }

    /// <summary>DM's purge-relay on the relay log of <paramref name="source"/>; DM's 30037 when a file to remove is needed.</summary>
    public async Task<IReadOnlyList<string>> PurgeAsync(string source, string file, string subDirectory, CancellationToken cancellationToken)
    {
        var unit = _unit;
        if (unit is null || unit.SourceName != source)
            throw DmErrors.ErrRelayPurgeRequestNotValid.New($"dm-worker {_options.Name} pulls no relay log of source {source}");
        return await unit.PurgeBeforeAsync(file, subDirectory.Length == 0 ? null : subDirectory, cancellationToken);
    }

    private async Task ApplyAsync()
    {
        await _gate.WaitAsync();
        var state = _board.Current;
        try
        {
            var wanted = state.Relay;
            _tasks = wanted?.Tasks.Select(ToTask).OfType<SubTaskConfig>().ToList() ?? [];
            if (_unit is not null && (wanted is null || !SameRelay(_assignment!, wanted)))
            {
                _logger.LogInformation("relay of {Source} stopped (the files stay in {Directory})", _unit.SourceName, _unit.Log.Directory.BasePath);
                await _unit.DisposeAsync();
                _unit = null;
                _assignment = null;
            }
            if (wanted is null) return;
            if (_unit is null)
            {
                var source = ContractMapping.ToConfig(wanted.Config);
                var log = OpenLog(source);
                var settings = new RelayUnitSettings(source, _options.Name, new RelayTaskCheckpoints(() => _tasks));
                _unit = new RelayUnit(settings, log, _loggers.CreateLogger<RelayUnit>());
                _logger.LogInformation("relay of {Source} into {Directory}", wanted.Source, log.Directory.BasePath);
            }
            _assignment = wanted;
            _unit.Expect(ContractMapping.ToApi(wanted.ExpectedStage), wanted.Generation);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "cannot apply the relay assignment at revision {Revision}", state.Revision);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The shared log of the source's relay directory (the worker's relay-dir when set, else the source's relay_dir), opened
    /// once per process: the relay unit writes it, Sync reads it.
    /// </summary>
    internal RelayLog OpenLog(SourceConfig source)
    {
        var directory = _options.RelayDir.Length > 0 ? _options.RelayDir
            : source.RelayDir.Length > 0 ? source.RelayDir : SourceConfig.DefaultRelayDir;
        var full = Path.GetFullPath(directory);
        lock (_logs)
        {
            if (_logs.TryGetValue(full, out var log)) return log;
            var flavor = string.Equals(source.Flavor, ServerFlavor.MariaDb, StringComparison.OrdinalIgnoreCase) ? GtidFlavor.MariaDb : GtidFlavor.MySql;
            log = new RelayLog(RelayDirectory.Open(full), flavor);
            _logs[full] = log;
            return log;
        }
    }

    /// <summary>The same relay (source and its config), whatever the stage, generation and tasks.</summary>
    private static bool SameRelay(RelayAssignment a, RelayAssignment b) => a.Source == b.Source && a.Config.Equals(b.Config);

    private SubTaskConfig? ToTask(Contracts.Configs.SubtaskConfig message)
    {
        try
        {
            return ContractMapping.ToConfig(message);
        }
        catch (InvalidDataException e)
        {
            _logger.LogWarning("relay: a subtask config of the assignment cannot be read: {Error}", e.Message);
            return null;
        }
    }
}
