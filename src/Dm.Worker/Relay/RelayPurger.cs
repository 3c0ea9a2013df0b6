using Dm.Binlog.Replication;
using Dm.Core.Config;
using Dm.Core.Errors;

namespace Dm.Worker.Relay;

/// <summary>
/// Removes relay files: on request (DM's purge-relay: every file before a name) and by the source's purge settings, every
/// <c>interval</c> seconds: files last written more than <c>expires</c> hours ago, and every file that may go while the
/// disk has less than <c>remain-space</c> GB free. What the files are needed for is gathered each time (the tasks'
/// checkpoints, the readers in this process, the writer's own file) and <see cref="RelayPurgePlan"/> decides; a request
/// that would remove a needed file is refused with DM's 30037 naming what needs it. Times come from a
/// <see cref="TimeProvider"/>, so tests drive the clock.
/// </summary>
internal sealed class RelayPurger(RelayLog log, PurgeConfig settings, RelayTaskCheckpoints tasks, TimeProvider time, ILogger logger)
{
    private const long Gigabyte = 1L << 30;

    /// <summary>How much space the relay's disk has free (a test replaces it).</summary>
    public Func<long> FreeBytes { get; init; } = () => new DriveInfo(log.Directory.BasePath).AvailableFreeSpace;

    /// <summary>
    /// DM's purge by file name: every file before <paramref name="file"/> (the upstream's name, or DM's relay form) in
    /// <paramref name="subDirectory"/> (the newest by default), and every file of earlier sub-directories. 30039 for a
    /// sub-directory or file the relay does not have, 30037 when a file to remove is still needed.
    /// </summary>
    public async Task<IReadOnlyList<string>> PurgeBeforeAsync(string file, string? subDirectory, CancellationToken cancellationToken)
    {
        var name = BinlogFileName.Parse(file);
        if (name.Sequence < 0) throw DmErrors.ErrRelayPurgeRequestNotValid.New($"relay_binlog_name {file} is not a binlog file name");
        var sub = string.IsNullOrEmpty(subDirectory)
            ? name.RelaySuffix is { } suffix ? log.Directory.WithSuffix(suffix) : log.Directory.Current
            : log.Directory.SubDirectories.FirstOrDefault(s => s.Name == Path.GetFileName(subDirectory.TrimEnd('/')));
        if (sub is null)
            throw DmErrors.ErrRelayPurgeRequestNotValid.New(
                $"relay sub-directory {subDirectory ?? "(newest)"} is not in {log.Directory.IndexPath} ({string.Join(", ", log.Directory.SubDirectories.Select(s => s.Name))})");
        var decision = await PurgeAsync(new RelayPurgeRequest.BeforeFile(BinlogFileName.Parse(sub.RelayName(name.UpstreamName))), cancellationToken);
        if (decision.Refused) throw DmErrors.ErrRelayPurgeIsForbidden.New(decision.Reason);
        return decision.Delete.Select(f => f.RelayName.Name).ToList();
    }

    /// <summary>The automatic purge: every <c>interval</c> seconds until cancelled (never when the interval is not positive).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (settings.Interval <= 0 || settings.Expires <= 0 && settings.RemainSpace <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.Interval), time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await PurgeOnceAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("automatic relay purge of {Directory} skipped: {Error}", log.Directory.BasePath, e.Message);
            }
        }
    }

    /// <summary>One round of the automatic purge: by age, then by free space.</summary>
    public async Task PurgeOnceAsync(CancellationToken cancellationToken)
    {
        if (settings.Expires > 0)
            await PurgeAsync(new RelayPurgeRequest.Expired(time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(settings.Expires)), cancellationToken);
        if (settings.RemainSpace > 0 && FreeBytes() < settings.RemainSpace * Gigabyte)
            await PurgeAsync(new RelayPurgeRequest.LowSpace(), cancellationToken);
    }

    /// <summary>Decides and removes (under the relay's files gate, so the writer does not move meanwhile).</summary>
    private async Task<RelayPurgeDecision> PurgeAsync(RelayPurgeRequest request, CancellationToken cancellationToken)
    {
        var checkpoints = await tasks.ReadAsync(cancellationToken);
        await log.FilesGate.WaitAsync(cancellationToken);
        try
        {
            var needs = new List<RelayNeed>();
            foreach (var (task, location) in checkpoints)
                needs.Add(new RelayNeed($"task {task}'s checkpoint", RelayForm(location)));
            foreach (var (who, position) in log.Readers()) needs.Add(new RelayNeed(who, position));
            if (log.Active is { } active) needs.Add(new RelayNeed("the relay writer", new BinlogPosition(active.RelayName, active.Length)));
            var files = log.Directory.SubDirectories
                .SelectMany(s => s.BinlogFiles().Select(f => (Sub: s, File: f, Info: new FileInfo(s.FilePath(f)))))
                .Select(f => new RelayFileInfo(f.Sub, f.File, f.Info.LastWriteTimeUtc, f.Info.Length))
                .ToList();
            var decision = RelayPurgePlan.Decide(files, needs, request);
            Remove(decision.Delete, files);
            if (decision.Delete.Count > 0)
                logger.LogInformation("relay purge ({Request}) removed {Count} files, up to {Last}", request, decision.Delete.Count, decision.Delete[^1].RelayName);
            // The automatic purges say what they keep when it matters: when they removed something, or were asked by name.
            if (decision.Reason is not null)
                logger.Log(decision.Delete.Count > 0 || request is RelayPurgeRequest.BeforeFile ? LogLevel.Information : LogLevel.Debug,
                    "relay purge ({Request}) kept files: {Reason}", request, decision.Reason);
            return decision;
        }
        finally
        {
            log.FilesGate.Release();
        }
    }

    /// <summary>A checkpoint's position in relay form; one the relay cannot place counts as needing everything.</summary>
    private BinlogPosition RelayForm(BinlogLocation location)
    {
        if (!location.HasPosition) return new BinlogPosition("", 0);
        try
        {
            return log.ToRelayForm(location.Position);
        }
        catch (DmException)
        {
            return new BinlogPosition("", 0);
        }
    }

    private void Remove(IReadOnlyList<RelayFileInfo> delete, IReadOnlyList<RelayFileInfo> all)
    {
        foreach (var file in delete)
        {
            try
            {
                File.Delete(file.SubDirectory.FilePath(file.File));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw DmErrors.ErrRelayRemoveFileFail.Wrap(e, file.SubDirectory.FilePath(file.File), e.Message);
            }
        }
        // A sub-directory left without files, older than the newest, goes from the index too.
        var emptied = delete.Select(d => d.SubDirectory).Distinct()
            .Where(s => s != log.Directory.Current && all.Count(f => f.SubDirectory == s) == delete.Count(d => d.SubDirectory == s))
            .ToList();
        log.Directory.Remove(emptied);
        foreach (var sub in delete.Select(d => d.SubDirectory).Distinct().Except(emptied)) DurableFile.SyncDirectory(sub.Path);
        if (delete.Count > 0) log.Signal();
    }
}
