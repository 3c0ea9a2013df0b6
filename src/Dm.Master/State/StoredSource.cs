using Dm.Core.Api;

namespace Dm.Master.State;

/// <summary>
/// A source as the master stores it: the API's view (password protected by <see cref="PasswordCipher"/>)
/// plus what creation learned from the upstream.
/// </summary>
public sealed record StoredSource
{
    public required Source Source { get; init; }
    public required uint ServerId { get; init; }
    public required bool CaseSensitive { get; init; }
    public string RelayDir { get; init; } = "relay-dir";

    public string Name => Source.SourceName;
}

/// <summary>A task as the master stores it: the API's task (target password protected).</summary>
public sealed record StoredTask
{
    public required DmTask Task { get; init; }

    public string Name => Task.Name;

    public IReadOnlyList<string> SourceNames => Task.SourceConfig.SourceConf.Select(s => s.SourceName).ToList();
}

/// <summary>The stage a subtask should be in, as the master wants it (the worker converges on it).</summary>
public sealed record SubtaskStage(string Source, string Task, TaskStage Expect)
{
    /// <summary>Changes on every start/resume request, so a worker whose subtask stopped on an error runs it again.</summary>
    public long Generation { get; init; }

    /// <summary>Changes when a start removed the task's meta: the worker then builds the subtask anew (nothing it held is valid).</summary>
    public long MetaGeneration { get; init; }
}

/// <summary>One-shot arguments of a task start, honoured only when no checkpoint exists.</summary>
public sealed record TaskCliArgs(string? StartTime, string? SafeModeDuration, string? WaitTimeOnStop);

/// <summary>
/// The stage the master expects of a source's relay log (enable-relay: Running; DM#'s pause-relay: Paused); no record means
/// relay is off. The generation changes with every resume, so a relay stopped on an error pulls again.
/// </summary>
public sealed record RelayStage(string Source, TaskStage Expect)
{
    public long Generation { get; init; }
}
