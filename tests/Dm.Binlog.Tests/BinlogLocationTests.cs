using System.Buffers.Binary;
using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;

namespace Dm.Binlog.Tests;

/// <summary>The one location type: positions, file names (DM's relay suffix form), GTID sets of both flavors, their text and order.</summary>
public sealed class BinlogLocationTests
{
    private const string Uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    [Theory]
    [InlineData("mysql-bin.000003:1234", "mysql-bin.000003", 1234)]
    [InlineData("mysql-bin|000001.000003:4", "mysql-bin|000001.000003", 4)]
    [InlineData("odd:name.000001:77", "odd:name.000001", 77)]
    public void Positions_parse_and_print_as_file_colon_offset(string text, string file, long offset)
    {
        var position = BinlogPosition.Parse(text);
        Assert.Equal(new BinlogPosition(file, offset), position);
        Assert.Equal(text, position.ToString());
        Assert.Equal($"({file}, {offset})", position.ToDmString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("mysql-bin.000003")]
    [InlineData(":4")]
    [InlineData("mysql-bin.000003:-4")]
    [InlineData("mysql-bin.000003:x")]
    public void Malformed_positions_are_refused(string text)
    {
        Assert.False(BinlogPosition.TryParse(text, out _));
        Assert.Throws<FormatException>(() => BinlogPosition.Parse(text));
    }

    [Fact]
    public void Positions_order_by_file_sequence_then_offset_not_by_text()
    {
        var ordered = new[]
        {
            new BinlogPosition("mysql-bin.000009", 900),
            new BinlogPosition("mysql-bin.000010", 4),
            new BinlogPosition("mysql-bin.000010", 120),
            new BinlogPosition("mysql-bin.1000000", 4),
        };
        Assert.Equal(ordered, ordered.Reverse().Order().ToArray());
        Assert.True(ordered[0] < ordered[1]);
        Assert.True(ordered[2] >= ordered[1]);
        Assert.Equal(0, new BinlogPosition("a.000001", 5).CompareTo(new BinlogPosition("a.000001", 5)));
    }

    [Fact]
    public void Relay_file_names_carry_the_sub_directory_suffix_and_order_by_it_first()
    {
        var name = BinlogFileName.Parse("mysql-bin|000002.000001");
        Assert.Equal("mysql-bin", name.BaseName);
        Assert.Equal(2, name.RelaySuffix);
        Assert.Equal(1, name.Sequence);
        Assert.Equal("mysql-bin.000001", name.UpstreamName);
        Assert.Equal("mysql-bin|000002.000001", name.ToString());
        Assert.Equal("mysql-bin|000007.000123", BinlogFileName.Parse("mysql-bin.000123").WithRelaySuffix(7).ToString());

        var plain = BinlogFileName.Parse("mysql-bin.000123");
        Assert.Null(plain.RelaySuffix);
        Assert.Equal("mysql-bin.000123", plain.UpstreamName);
        // A later relay sub-directory (the upstream's UUID changed) comes after every file of an earlier one.
        Assert.True(new BinlogPosition("mysql-bin|000001.000009", 500) < new BinlogPosition("mysql-bin|000002.000001", 4));
        Assert.True(BinlogFileName.Parse("no-extension").Sequence < 0);
    }

    [Fact]
    public void Gtid_sets_of_both_flavors_parse_print_and_know_their_flavor()
    {
        var mysql = GtidSet.Parse(GtidFlavor.MySql, $"{Uuid}:1-5:7");
        var maria = GtidSet.Parse(GtidFlavor.MariaDb, "0-1-100,1-2-7");
        Assert.IsType<MySqlGtidSet>(mysql);
        Assert.IsType<MariaDbGtidList>(maria);
        Assert.Equal($"{Uuid}:1-5:7", mysql.ToString());
        Assert.Equal("0-1-100,1-2-7", maria.ToString());
        Assert.Equal(GtidFlavor.MySql, GtidSet.FlavorOf($"{Uuid}:1-5"));
        Assert.Equal(GtidFlavor.MariaDb, GtidSet.FlavorOf("0-1-100"));
        Assert.Null(GtidSet.FlavorOf("not a gtid"));
        Assert.Null(GtidSet.FlavorOf(""));
        Assert.True(GtidSet.Parse(GtidFlavor.MySql, "").IsEmpty);
        Assert.False(GtidSet.TryParse(GtidFlavor.MariaDb, $"{Uuid}:1-5", out _));
        Assert.Throws<FormatException>(() => GtidSet.Parse(GtidFlavor.MySql, "0-1-100"));
    }

    [Fact]
    public void Sets_of_different_flavors_neither_contain_nor_equal_nor_join_each_other()
    {
        var mysql = GtidSet.Empty(GtidFlavor.MySql);
        var maria = GtidSet.Empty(GtidFlavor.MariaDb);
        Assert.NotEqual(mysql, maria);
        Assert.False(mysql.Contains(maria));
        Assert.Throws<ArgumentException>(() => mysql.Union(maria));
        Assert.Equal(GtidSet.Parse(GtidFlavor.MariaDb, "0-1-5"), GtidSet.Parse(GtidFlavor.MariaDb, "0-1-5"));
        Assert.Equal("0-1-9", GtidSet.Parse(GtidFlavor.MariaDb, "0-1-5").Union(GtidSet.Parse(GtidFlavor.MariaDb, "0-1-9")).ToString());
    }

    [Fact]
    public void Locations_order_by_position_or_else_by_gtid_containment_and_print_as_DM()
    {
        var set = GtidSet.Parse(GtidFlavor.MariaDb, "0-1-10");
        var early = new BinlogLocation("mysql-bin.000002", 400, set);
        var late = new BinlogLocation("mysql-bin.000010", 4);
        Assert.True(early.CompareTo(late) < 0);
        Assert.Equal("position: (mysql-bin.000002, 400), gtid-set: 0-1-10", early.ToString());
        Assert.Equal(early, new BinlogLocation("mysql-bin.000002", 400, GtidSet.Parse(GtidFlavor.MariaDb, "0-1-10")));
        Assert.NotEqual(early, new BinlogLocation("mysql-bin.000002", 400));

        var byGtid = BinlogLocation.AtGtid(GtidSet.Parse(GtidFlavor.MySql, $"{Uuid}:1-5"));
        var further = BinlogLocation.AtGtid(GtidSet.Parse(GtidFlavor.MySql, $"{Uuid}:1-9"));
        Assert.False(byGtid.HasPosition);
        Assert.True(byGtid.CompareTo(further) < 0);
        Assert.Equal(0, further.CompareTo(BinlogLocation.AtGtid(GtidSet.Parse(GtidFlavor.MySql, $"{Uuid}:1-9"))));
        Assert.Throws<InvalidOperationException>(() => byGtid.CompareTo(BinlogLocation.AtGtid(GtidSet.Parse(GtidFlavor.MySql, $"{Uuid}:7"))));
    }

    [Fact]
    public void A_MySQL_GTID_start_is_sent_as_COM_BINLOG_DUMP_GTID_with_the_set()
    {
        var start = (MySqlGtidSet)GtidSet.Parse(GtidFlavor.MySql, $"{Uuid}:1-41");
        var bytes = BinlogClient.DumpGtidCommand(4242, flags: 0, start).Span;
        Assert.Equal(0x1E, bytes[0]);
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(bytes[1..]) & 4); // BINLOG_THROUGH_GTID
        Assert.Equal(4242u, BinaryPrimitives.ReadUInt32LittleEndian(bytes[3..]));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[19..]);
        Assert.Equal(start, MySqlGtidSet.Decode(bytes.Slice(23, (int)length)));
    }

    [Fact]
    public void The_executed_set_goes_on_from_the_start_set_and_refuses_the_other_flavor()
    {
        var tracker = new TransactionTracker(GtidSet.Parse(GtidFlavor.MySql, $"{Uuid}:1-41"));
        tracker.Observe(new MySqlGtidEvent { SourceId = Guid.Parse(Uuid), TransactionNumber = 42 });
        tracker.Observe(new XidEvent());
        Assert.Equal($"{Uuid}:1-42", tracker.Executed!.ToString());

        var fresh = new TransactionTracker(null);
        Assert.Null(fresh.Executed);
        fresh.Observe(new MariaDbGtidEvent { Gtid = new MariaDbGtid(0, 1, 7) });
        fresh.Observe(new XidEvent());
        Assert.Equal("0-1-7", fresh.Executed!.ToString());

        var mismatched = new TransactionTracker(GtidSet.Parse(GtidFlavor.MySql, $"{Uuid}:1"));
        mismatched.Observe(new MariaDbGtidEvent { Gtid = new MariaDbGtid(0, 1, 7) });
        Assert.Throws<BinlogFormatException>(() => mismatched.Observe(new XidEvent()));
    }
}
