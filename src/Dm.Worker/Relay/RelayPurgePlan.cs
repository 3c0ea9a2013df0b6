using Dm.Binlog.Replication;

namespace Dm.Worker.Relay;

/// <summary>
/// What a purge may remove from a relay log, decided from the files and what still needs them, nothing else (no disk,
/// no clock): files are removed oldest first and only before the earliest file anything needs (a task's checkpoint, a
/// running reader, the writer's own file), so the relay stays one unbroken range. A purge by name that would remove a
/// needed file is refused whole, naming what needs it; the automatic purges (expired, low space) remove what they may and
/// say what they kept.
/// </summary>
internal static class RelayPurgePlan
{
    public static RelayPurgeDecision Decide(IReadOnlyList<RelayFileInfo> files, IReadOnlyList<RelayNeed> needs, RelayPurgeRequest request)
    {
        var ordered = files.OrderBy(f => f.RelayName).ToList();
        var earliest = needs.Count == 0 ? null : needs.MinBy(n => BinlogFileName.Parse(n.Position.FileName));
        bool Needed(RelayFileInfo f) => earliest is not null && f.RelayName.CompareTo(BinlogFileName.Parse(earliest.Position.FileName)) >= 0;
        string Because() => $"{earliest!.Who} still needs {earliest.Position.FileName} (from {earliest.Position})";
        var purgeable = ordered.TakeWhile(f => !Needed(f)).ToList();
        switch (request)
        {
            case RelayPurgeRequest.BeforeFile before:
            {
                var wanted = ordered.Where(f => f.RelayName.CompareTo(before.File) < 0).ToList();
                if (wanted.Count > purgeable.Count) return new RelayPurgeDecision([], Because());
                return new RelayPurgeDecision(wanted, null);
            }
            case RelayPurgeRequest.Expired expired:
            {
                var delete = purgeable.TakeWhile(f => f.LastWriteUtc < expired.CutoffUtc).ToList();
                var keptExpired = delete.Count == purgeable.Count && ordered.Skip(delete.Count).FirstOrDefault() is { } next
                                  && next.LastWriteUtc < expired.CutoffUtc;
                return new RelayPurgeDecision(delete, keptExpired ? Because() : null);
            }
            case RelayPurgeRequest.LowSpace:
                return new RelayPurgeDecision(purgeable, purgeable.Count < ordered.Count && earliest is not null ? Because() : null);
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request, "unknown purge request");
        }
    }
}

/// <summary>A relay file as purge sees it: its sub-directory, its upstream name, when it was last written, its size.</summary>
internal sealed record RelayFileInfo(RelaySubDirectory SubDirectory, string File, DateTime LastWriteUtc, long Size)
{
    /// <summary>The file in DM's relay form, which orders files across sub-directories.</summary>
    public BinlogFileName RelayName { get; } = BinlogFileName.Parse(SubDirectory.RelayName(File));
}

/// <summary>Something that still reads the relay from <paramref name="Position"/> (DM's relay form) on, as a purge refusal names it.</summary>
internal sealed record RelayNeed(string Who, BinlogPosition Position);

/// <summary>What a purge is asked to remove.</summary>
internal abstract record RelayPurgeRequest
{
    /// <summary>DM's purge-relay --filename: every file before <paramref name="File"/> (DM's relay form), earlier sub-directories included.</summary>
    public sealed record BeforeFile(BinlogFileName File) : RelayPurgeRequest;

    /// <summary>The source's purge.expires: files last written before <paramref name="CutoffUtc"/>.</summary>
    public sealed record Expired(DateTime CutoffUtc) : RelayPurgeRequest;

    /// <summary>The source's purge.remain-space: the disk has less free space than asked, every file that may go.</summary>
    public sealed record LowSpace : RelayPurgeRequest;
}

/// <summary>The files to remove, and why a purge by name was refused (<see cref="Refused"/>) or an automatic one kept files (<see cref="Reason"/>).</summary>
internal sealed record RelayPurgeDecision(IReadOnlyList<RelayFileInfo> Delete, string? Reason)
{
    /// <summary>A purge by name that removes nothing because a file it names is needed.</summary>
    public bool Refused => Delete.Count == 0 && Reason is not null;
}
