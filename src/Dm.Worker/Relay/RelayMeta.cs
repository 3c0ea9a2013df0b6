using System.Globalization;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Tomlyn;
using Tomlyn.Model;

namespace Dm.Worker.Relay;

/// <summary>
/// A relay sub-directory's <c>relay.meta</c>, DM's TOML (<c>binlog-name</c>, <c>binlog-pos</c>, <c>binlog-gtid</c>): where the
/// relay resumes pulling, the upstream's file name and offset at the end of a whole transaction, and the GTIDs executed up
/// to there. Written only after the data up to that position is on disk (the writer flushes the file first), replaced
/// atomically, so it is never ahead of the files it describes.
/// </summary>
internal sealed record RelayMeta(BinlogPosition Position, GtidSet? Gtid)
{
    /// <summary>The meta at <paramref name="path"/>, or null when there is none. DM's 30003 when it cannot be read.</summary>
    public static RelayMeta? Read(string path, GtidFlavor flavor)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var table = TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(path)) ?? new TomlTable();
            var name = table.TryGetValue("binlog-name", out var n) ? n as string : null;
            var pos = table.TryGetValue("binlog-pos", out var p) ? Convert.ToInt64(p, CultureInfo.InvariantCulture) : 4;
            var gtid = table.TryGetValue("binlog-gtid", out var g) ? g as string ?? "" : "";
            if (string.IsNullOrEmpty(name)) throw new InvalidDataException("binlog-name is missing");
            return new RelayMeta(new BinlogPosition(name, pos), gtid.Length == 0 ? null : GtidSet.Parse(flavor, gtid));
        }
        catch (Exception e) when (e is not DmException)
        {
            throw DmErrors.ErrRelayLoadMetaData.Wrap(e);
        }
    }

    /// <summary>Replaces the meta at <paramref name="path"/> durably. DM's 30006 when it cannot.</summary>
    public void Write(string path)
    {
        try
        {
            DurableFile.Replace(path, string.Create(CultureInfo.InvariantCulture,
                $"binlog-name = \"{Position.FileName}\"\nbinlog-pos = {Position.Position}\nbinlog-gtid = \"{Gtid?.ToString() ?? ""}\"\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DmErrors.ErrRelayFlushLocalMeta.Wrap(e);
        }
    }
}
