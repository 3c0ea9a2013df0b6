using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Sync;

namespace Dm.Worker.Tests.Sync;

/// <summary>
/// How Sync asks the upstream for its binlog, decided as DM does: after the GTID set when the source has enable_gtid, else
/// from the file and position with the set carried along. A task's binlog_gtid is read in the source's flavor, so a MySQL
/// set reaches the replication client (and its COM_BINLOG_DUMP_GTID) as a MySQL set, not as a MariaDB list.
/// </summary>
public sealed class SyncStartOptionsTests
{
    private const string MySqlSet = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-41,5d2f0f2c-28c7-11e7-8352-203db246dd3d:1-170";

    private static SyncSettings Settings(string flavor, bool enableGtid) => new(
        new SubTaskConfig { Name = "t", SourceId = "s" },
        new SourceConfig { SourceId = "s", Flavor = flavor, EnableGtid = enableGtid, ServerId = 7 },
        new DatabaseEndpoint("127.0.0.1", 3306, "root", ""),
        new DatabaseEndpoint("127.0.0.1", 3307, "root", ""));

    [Fact]
    public void A_MySQL_GTID_meta_alone_starts_a_MySQL_GTID_dump_on_a_source_with_enable_gtid()
    {
        var settings = Settings(ServerFlavor.MySql, enableGtid: true);
        var start = new BinlogMeta { BinlogGtid = MySqlSet }.ToLocation(settings.GtidFlavor);
        var options = settings.ClientOptions(start);
        Assert.Null(options.StartPosition);
        var set = Assert.IsType<MySqlGtidSet>(options.StartGtid);
        Assert.Equal(MySqlGtidSet.Parse(MySqlSet), set);
        // The client sends a MySqlGtidSet start as COM_BINLOG_DUMP_GTID carrying that set (Dm.Binlog.Tests, BinlogLocationTests).
    }

    [Fact]
    public void A_MariaDB_meta_is_read_as_a_MariaDB_list_and_a_MySQL_set_on_a_MariaDB_source_is_refused()
    {
        var settings = Settings(ServerFlavor.MariaDb, enableGtid: true);
        Assert.IsType<MariaDbGtidList>(settings.ClientOptions(new BinlogMeta { BinlogGtid = "0-1-100" }.ToLocation(settings.GtidFlavor)).StartGtid);
        var e = Assert.Throws<DmException>(() => new BinlogMeta { BinlogGtid = MySqlSet }.ToLocation(settings.GtidFlavor));
        Assert.Equal(20011, e.Code);
    }

    [Fact]
    public void Without_enable_gtid_the_position_is_used_and_the_set_carried_along_and_a_set_alone_is_DMs_20011()
    {
        var settings = Settings(ServerFlavor.MySql, enableGtid: false);
        var start = new BinlogMeta { BinlogName = "mysql-bin.000003", BinlogPos = 1234, BinlogGtid = MySqlSet }.ToLocation(settings.GtidFlavor);
        var options = settings.ClientOptions(start);
        Assert.Equal(new BinlogPosition("mysql-bin.000003", 1234), options.StartPosition);
        Assert.Equal(MySqlGtidSet.Parse(MySqlSet), options.StartGtid);

        var gtidOnly = new BinlogMeta { BinlogGtid = MySqlSet }.ToLocation(settings.GtidFlavor);
        Assert.Equal(20011, Assert.Throws<DmException>(() => settings.ClientOptions(gtidOnly)).Code);
    }

    [Fact]
    public void A_checkpoint_with_position_and_set_resumes_by_GTID_only_with_enable_gtid()
    {
        var checkpoint = new BinlogLocation("mysql-bin.000009", 777, GtidSet.Parse(GtidFlavor.MySql, MySqlSet));
        var byGtid = Settings(ServerFlavor.MySql, enableGtid: true).ClientOptions(checkpoint);
        Assert.Null(byGtid.StartPosition);
        Assert.Equal(checkpoint.GtidSet, byGtid.StartGtid);
        var byPosition = Settings(ServerFlavor.MySql, enableGtid: false).ClientOptions(checkpoint);
        Assert.Equal(checkpoint.Position, byPosition.StartPosition);
        Assert.Equal(checkpoint.GtidSet, byPosition.StartGtid);
    }
}
