using System.Globalization;
using System.Text;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Errors;

namespace Dm.Worker.Dump;

/// <summary>
/// The dump's binlog locations. <see cref="Position"/> is the first snapshot: Sync starts there.
/// When a resumed dump reused chunks from that snapshot and exported the rest from a later one,
/// <see cref="SafeModeExit"/> is the later snapshot's location: Sync must replay in safe mode (idempotent
/// REPLACE/DELETE) until it passes it, which makes the mixed-snapshot copy converge exactly.
/// </summary>
public sealed record DumpMetadata(BinlogLocation Position, BinlogLocation? SafeModeExit)
{
    /// <summary>DM's "(file, pos)" text for <c>meta_binlog</c>.</summary>
    public string BinlogText => Position.Position.ToDmString();

    /// <summary>mydumper's metadata layout, which DM reads; the safe-mode section is ours.</summary>
    public string Render(DateTime started, DateTime finished)
    {
        var sb = new StringBuilder();
        sb.Append("Started dump at: ").Append(started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append('\n');
        AppendPosition(sb, "SHOW MASTER STATUS:", Position);
        if (SafeModeExit is { } exit)
            AppendPosition(sb, "SAFE MODE EXIT POINT:", exit);
        sb.Append("Finished dump at: ").Append(finished.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    private static void AppendPosition(StringBuilder sb, string title, BinlogLocation p) =>
        sb.Append(title).Append('\n')
          .Append("\tLog: ").Append(p.FileName).Append('\n')
          .Append("\tPos: ").Append(p.Offset.ToString(CultureInfo.InvariantCulture)).Append('\n')
          .Append("\tGTID:").Append(p.GtidText).Append("\n\n");

    public static DumpMetadata Parse(string text)
    {
        BinlogLocation? main = null, exit = null;
        string? section = null, file = null, gtid = null;
        long? pos = null;
        void Close()
        {
            if (section is null || file is null || pos is null) return;
            GtidSet? set;
            try { set = GtidSet.ParseEither(gtid ?? ""); }
            catch (FormatException e) { throw Bad(e.Message); }
            var p = new BinlogLocation(file, pos.Value, set);
            if (section == "SHOW MASTER STATUS:") main = p; else exit = p;
        }
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line is "SHOW MASTER STATUS:" or "SAFE MODE EXIT POINT:")
            {
                Close();
                (section, file, pos, gtid) = (line, null, null, null);
            }
            else if (section != null && line.StartsWith("\tLog: ", StringComparison.Ordinal)) file = line[6..];
            else if (section != null && line.StartsWith("\tPos: ", StringComparison.Ordinal))
                pos = long.TryParse(line[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw Bad("bad Pos");
            else if (section != null && line.StartsWith("\tGTID:", StringComparison.Ordinal)) gtid = line[6..].Trim();
        }
        Close();
        if (main is null || !text.Contains("Finished dump at:", StringComparison.Ordinal))
            throw Bad("no complete SHOW MASTER STATUS section or dump not finished");
        return new DumpMetadata(main, exit);

        DmException Bad(string why) => DmErrors.ErrParseMydumperMeta.New(why, text.Length > 300 ? text[..300] : text);
    }
}
