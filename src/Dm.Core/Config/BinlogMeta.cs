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
