using System.Collections.Concurrent;
using Dm.Core.Api;

namespace Dm.Master.Workers;

/// <summary>
/// The latest subtask status and dump-file holdings each worker reported with its heartbeat (kept in memory: it
/// is live state, not config, and every heartbeat repeats it).
/// </summary>
public sealed class WorkerStatusBoard
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<SubTaskStatus> Subtasks)> _reports = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _dumpFileSources = new(StringComparer.Ordinal);

    public void Report(string worker, IReadOnlyList<SubTaskStatus> subtasks) => _reports[worker] = (DateTimeOffset.UtcNow, subtasks);

    /// <summary>The sources whose dump files the worker said it holds in its latest heartbeat.</summary>
    public void ReportDumpFiles(string worker, IEnumerable<string> sources) =>
        _dumpFileSources[worker] = sources.ToHashSet(StringComparer.Ordinal);

    public bool HoldsDumpFiles(string worker, string source) =>
        _dumpFileSources.TryGetValue(worker, out var sources) && sources.Contains(source);

    /// <summary>
    /// Whether the worker may still run the subtask: true until a report received after <paramref name="since"/> leaves
    /// it out. A worker lists a subtask until its runner has stopped, final checkpoint flush included. A worker that
    /// never reported runs nothing.
    /// </summary>
    public bool MayStillRun(string worker, string task, string source, DateTimeOffset since) =>
        _reports.TryGetValue(worker, out var report)
        && (report.At <= since || report.Subtasks.Any(s => s.Name == task && s.SourceName == source));

    /// <summary>The status of a subtask as its worker last reported it, if that worker reported it.</summary>
    public SubTaskStatus? Find(string worker, string task, string source) =>
        _reports.TryGetValue(worker, out var report)
            ? report.Subtasks.FirstOrDefault(s => s.Name == task && s.SourceName == source)
            : null;
}
