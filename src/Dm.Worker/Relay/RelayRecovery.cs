using Dm.Binlog;
using Dm.Binlog.Events;
using Dm.Binlog.Files;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Errors;

namespace Dm.Worker.Relay;

/// <summary>
/// Brings a relay sub-directory back to a state the relay can resume from after any crash: reads its files from the
/// position <c>relay.meta</c> records (durable data is behind it) through every whole event, cuts the files back to the end
/// of the last whole transaction (a torn event, a checksum that does not match, a transaction without its end), removes
/// files after a damaged one, and records the result in <c>relay.meta</c> once the cut is on disk.
/// </summary>
internal static class RelayRecovery
{
    public static RelayResume Recover(RelaySubDirectory directory, GtidFlavor flavor, ILogger logger)
    {
        var meta = RelayMeta.Read(directory.MetaPath, flavor);
        var files = directory.BinlogFiles();
        var first = meta is null ? -1 : IndexOf(files, meta.Position.FileName);
        if (meta is not null && first < 0 && (files.Count == 0 || Later(meta.Position.FileName, files[^1])))
        {
            // The meta names the file after the last one (written at a ROTATE): nothing was pulled beyond it.
            return new RelayResume(meta.Position, meta.Gtid, files.Count == 0 ? null : Active(directory, files[^1]));
        }
        var (from, gtid) = first >= 0 ? (meta!.Position.Position, meta.Gtid) : (4L, null);
        first = Math.Max(first, 0);
        if (files.Count == 0) return new RelayResume(null, gtid, null);

        var tracker = new TransactionTracker(gtid);
        var decoder = new BinlogEventDecoder();
        var boundary = new BinlogPosition(files[first], from);
        for (var i = first; i < files.Count; i++)
        {
            var path = directory.FilePath(files[i]);
            var length = new FileInfo(path).Length;
            var start = i == first ? from : 4;
            if (start > length) throw DmErrors.ErrRelayLogFileSizeSmaller.New(path);
            string? damage = null;
            try
            {
                using var follower = new BinlogFileFollower(path, decoder, start);
                foreach (var ev in follower.ReadTo(length))
                {
                    tracker.ObserveFileStart(ev);
                    tracker.Observe(ev);
                    if (tracker.InGroup) continue;
                    boundary = ev is RotateEvent rotate ? new BinlogPosition(rotate.NextFileName, rotate.Position) : new BinlogPosition(files[i], follower.Position);
                }
            }
            catch (BinlogFormatException e)
            {
                damage = e.Message;
            }
            if (boundary.FileName == files[i] && boundary.Position < length || damage is not null)
            {
                Cut(directory, files, i, boundary, length, damage, logger);
                break;
            }
        }
        var resume = new RelayResume(boundary, tracker.Executed, null);
        new RelayMeta(boundary, tracker.Executed?.Clone()).Write(directory.MetaPath);
        var remaining = directory.BinlogFiles();
        return resume with { Active = remaining.Count == 0 ? null : Active(directory, remaining[^1]) };
    }

    /// <summary>Cuts <paramref name="files"/>[<paramref name="at"/>] back to <paramref name="boundary"/> (or removes it when nothing whole is left) and removes the files after it, durably.</summary>
    private static void Cut(RelaySubDirectory directory, IReadOnlyList<string> files, int at, BinlogPosition boundary, long length, string? damage,
        ILogger logger)
    {
        var path = directory.FilePath(files[at]);
        if (boundary.FileName == files[at] && boundary.Position > BinlogFileReader.Magic.Length)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            file.SetLength(boundary.Position);
            file.Flush(flushToDisk: true);
            logger.LogWarning("relay log {File} cut from {Length} to {Position} bytes, the end of its last whole transaction ({Reason})",
                path, length, boundary.Position, damage ?? "a transaction without its end");
        }
        else
        {
            File.Delete(path);
            logger.LogWarning("relay log {File} removed: no whole event after its header ({Reason})", path, damage ?? "empty");
        }
        foreach (var later in files.Skip(at + 1))
        {
            File.Delete(directory.FilePath(later));
            logger.LogWarning("relay log {File} removed: it follows a damaged file and is pulled again", directory.FilePath(later));
        }
        DurableFile.SyncDirectory(directory.Path);
    }

    private static RelayActiveFile Active(RelaySubDirectory directory, string file) =>
        new(directory, file, new FileInfo(directory.FilePath(file)).Length);

    private static int IndexOf(IReadOnlyList<string> files, string file)
    {
        for (var i = 0; i < files.Count; i++)
            if (files[i] == file) return i;
        return -1;
    }

    private static bool Later(string a, string b) => BinlogFileName.Parse(a).CompareTo(BinlogFileName.Parse(b)) > 0;
}

/// <summary>
/// Where a recovered relay sub-directory resumes: the upstream's file and offset after its last whole transaction (null
/// when it holds nothing yet), the GTIDs executed up to there, and its newest file as readers may read it.
/// </summary>
internal sealed record RelayResume(BinlogPosition? Position, GtidSet? Gtid, RelayActiveFile? Active);
