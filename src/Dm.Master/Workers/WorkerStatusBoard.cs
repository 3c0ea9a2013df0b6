using System.Collections.Concurrent;
using Dm.Core.Api;

namespace Dm.Master.Workers;

/// <summary>
/// The latest subtask status, relay log status and dump-file holdings each worker reported with its heartbeat (kept in
/// memory: it is live state, not config, and every heartbeat repeats it).
/// </summary>
public sealed class WorkerStatusBoard
{
    /// <summary>A worker's relay log of <paramref name="Source"/>: DM's status, and the error it stopped on (null when none).</summary>
    public sealed record RelayReport(string Source, RelayStatus Status, string? Error);

    private readonly ConcurrentDictionary<string, RelayReport?> _relays = new(StringComparer.Ordinal);

    /// <summary>The relay log the worker said it pulls in its latest heartbeat (null: none).</summary>
    public void ReportRelay(string worker, RelayReport? relay) => _relays[worker] = relay;

    /// <summary>The worker's relay log of <paramref name="source"/> as it last reported it, if it pulls that one.</summary>
    public RelayReport? Relay(string worker, string source) =>
        _relays.TryGetValue(worker, out var relay) && relay?.Source == source ? relay : null;

    private readonly ConcurrentDictionary<string, (long AppliedRevision, IReadOnlyList<SubTaskStatus> Subtasks)> _reports = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _dumpFileSources = new(StringComparer.Ordinal);

    /// <param name="appliedRevision">The newest desired-state revision the worker had fully applied when it took the statuses.</param>
    public void Report(string worker, IReadOnlyList<SubTaskStatus> subtasks, long appliedRevision) => _reports[worker] = (appliedRevision, subtasks);

    /// <summary>The sources whose dump files the worker said it holds in its latest heartbeat.</summary>
    public void ReportDumpFiles(string worker, IEnumerable<string> sources) =>
        _dumpFileSources[worker] = sources.ToHashSet(StringComparer.Ordinal);

    public bool HoldsDumpFiles(string worker, string source) =>
        _dumpFileSources.TryGetValue(worker, out var sources) && sources.Contains(source);

    /// <summary>
    /// Whether the worker may still run the subtask: true until it reports, having applied the desired state at
    /// <paramref name="revision"/> or later, a status list without it. A worker lists a subtask from the moment it
    /// creates its runner until the runner has stopped, final checkpoint flush included. No report yet (a master just
    /// started) is not proof of anything.
    /// </summary>
    public bool MayStillRun(string worker, string task, string source, long revision) =>
        !_reports.TryGetValue(worker, out var report)
        || report.AppliedRevision < revision
        || report.Subtasks.Any(s => s.Name == task && s.SourceName == source);

    /// <summary>
    /// Whether the subtask may still be running on the worker: true until the worker reports, having applied the desired state
    /// at <paramref name="revision"/> or later, the subtask in another stage than Running (or not at all).
    /// </summary>
    public bool MayStillBeRunning(string worker, string task, string source, long revision) =>
        !_reports.TryGetValue(worker, out var report)
        || report.AppliedRevision < revision
        || report.Subtasks.Any(s => s.Name == task && s.SourceName == source && s.Stage == Dm.Core.Api.TaskStage.Running);

    /// <summary>The status of a subtask as its worker last reported it, if that worker reported it.</summary>
    public SubTaskStatus? Find(string worker, string task, string source) =>
        _reports.TryGetValue(worker, out var report)
            ? report.Subtasks.FirstOrDefault(s => s.Name == task && s.SourceName == source)
            : null;
}
