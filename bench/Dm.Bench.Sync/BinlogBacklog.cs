using Dm.Binlog.Events;
using Dm.Binlog.Files;

namespace Dm.Bench.Sync;

/// <summary>What the upstream wrote between two positions, counted from its binlog files with Dm.Binlog.</summary>
internal sealed record BinlogBacklog(long RowChanges, long Transactions, long Bytes)
{
    /// <summary>Counts row images (an update is one change) and XIDs in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static BinlogBacklog Count(string binlogDirectory, BinlogCoordinates from, BinlogCoordinates to)
    {
        long rows = 0, transactions = 0, bytes = 0;
        var files = Directory.GetFiles(binlogDirectory)
            .Select(Path.GetFileName)
            .Where(name => name != null && !name.EndsWith(".index", StringComparison.Ordinal)
                && string.CompareOrdinal(name, from.File) >= 0 && string.CompareOrdinal(name, to.File) <= 0)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0 || files[0] != from.File || files[^1] != to.File)
            throw new InvalidOperationException($"binlog files for {from} .. {to} are not all in {binlogDirectory}: [{string.Join(", ", files)}]");
        foreach (var file in files)
        {
            var reader = new BinlogFileReader(Path.Combine(binlogDirectory, file!));
            var start = file == from.File ? from.Position : 4;
            foreach (var ev in reader.ReadEvents(start))
            {
                if (ev is RotateEvent) continue;
                var eventStart = ev.ResumePosition.Position - ev.Header.EventSize;
                if (file == to.File && eventStart >= to.Position) break;
                bytes += ev.Header.EventSize;
                if (ev is RowsEvent rowsEvent) rows += rowsEvent.CountRows();
                else if (ev is XidEvent) transactions++;
            }
        }
        return new BinlogBacklog(rows, transactions, bytes);
    }
}
