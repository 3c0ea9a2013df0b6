using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

/// <summary>Start point of an incremental task (<c>mysql-instances[].meta</c>).</summary>
public sealed class BinlogMeta
{
    public string BinlogName { get; set; } = "";
    public uint BinlogPos { get; set; }
    public string BinlogGtid { get; set; } = "";

    public BinlogMeta Clone() => (BinlogMeta)MemberwiseClone();

    /// <summary>DM error 20011 when neither a file name nor a GTID set is given.</summary>
    public void Verify()
    {
        if (BinlogName.Length == 0 && BinlogGtid.Length == 0)
            throw Errors.DmErrors.ErrConfigMetaInvalid.New();
    }

    /// <summary>
    /// Where the meta says to start, for a source whose GTIDs are of <paramref name="flavor"/>: the file and position when a
    /// file is named (position at least 4, the first event), with the GTID set when one is given; the GTID set alone otherwise.
    /// DM's 20011 when the GTID text is not a set of that flavor.
    /// </summary>
    public BinlogLocation ToLocation(GtidFlavor flavor)
    {
        Verify();
        GtidSet? gtid = null;
        if (BinlogGtid.Length > 0 && !GtidSet.TryParse(flavor, BinlogGtid, out gtid))
            throw Errors.DmErrors.ErrConfigMetaInvalid.WithMessage(
                $"binlog-gtid `{BinlogGtid}` is not a {(flavor == GtidFlavor.MySql ? "MySQL" : "MariaDB")} GTID set");
        return BinlogName.Length > 0 ? new BinlogLocation(BinlogName, Math.Max(4u, BinlogPos), gtid) : BinlogLocation.AtGtid(gtid!);
    }

    internal static BinlogMeta Read(YamlMap map)
    {
        var m = new BinlogMeta
        {
            BinlogName = map.String("binlog-name") ?? "",
            BinlogPos = map.UInt32("binlog-pos") ?? 0,
            BinlogGtid = map.String("binlog-gtid") ?? "",
        };
        map.RejectUnknownKeys();
        return m;
    }

    internal YamlMapWriter Write() => new YamlMapWriter()
        .String("binlog-name", BinlogName).UInt("binlog-pos", BinlogPos).String("binlog-gtid", BinlogGtid);
}
