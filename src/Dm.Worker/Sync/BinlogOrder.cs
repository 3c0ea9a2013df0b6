using System.Globalization;
using Dm.Core.Upstream;

namespace Dm.Worker.Sync;

/// <summary>Orders binlog positions: by the file's sequence number (the digits after the last dot), then offset.</summary>
internal static class BinlogOrder
{
    public static int Compare(BinlogPosition a, BinlogPosition b)
    {
        var byFile = FileNumber(a.File).CompareTo(FileNumber(b.File));
        if (byFile != 0) return byFile;
        var byName = string.CompareOrdinal(a.File, b.File);
        return byName != 0 ? byName : a.Position.CompareTo(b.Position);
    }

    private static long FileNumber(string file)
    {
        var dot = file.LastIndexOf('.');
        return dot >= 0 && long.TryParse(file.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    /// <summary>"file:pos", how transactions are named in the applied table and in error messages.</summary>
    public static string Text(BinlogPosition p) => $"{p.File}:{p.Position}";
}
