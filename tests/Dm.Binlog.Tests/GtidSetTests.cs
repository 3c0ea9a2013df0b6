using Dm.Binlog.Gtid;

namespace Dm.Binlog.Tests;

public sealed class GtidSetTests
{
    private const string A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private const string B = "00000000-0000-0000-0000-00000000000b";

    [Fact]
    public void MySqlSetParsesMergesAndFormats()
    {
        var set = MySqlGtidSet.Parse($"{A}:1-5:7:6, {B}:3");
        Assert.Equal($"{B}:3,{A}:1-7", set.ToString());
        Assert.True(set.Contains(A, 7));
        Assert.False(set.Contains(A, 8));
        Assert.False(set.Contains(B, 2));
        set.Add(A, 9);
        Assert.Equal($"{B}:3,{A}:1-7:9", set.ToString());
        set.Add(A, 8);
        Assert.Equal($"{B}:3,{A}:1-9", set.ToString());
    }

    [Fact]
    public void MySqlSetUnionAndContains()
    {
        var x = MySqlGtidSet.Parse($"{A}:1-3");
        var y = MySqlGtidSet.Parse($"{A}:5-6,{B}:1");
        var union = x.Union(y);
        Assert.Equal($"{B}:1,{A}:1-3:5-6", union.ToString());
        Assert.True(union.Contains(x));
        Assert.True(union.Contains(y));
        Assert.False(x.Contains(union));
        Assert.False(MySqlGtidSet.Parse($"{A}:1-4").Contains(MySqlGtidSet.Parse($"{A}:4-5")));
    }

    [Fact]
    public void MySqlSetEncodesAsTheProtocolDoes()
    {
        // COM_BINLOG_DUMP_GTID / PREVIOUS_GTIDS: n_sids, sid (16 bytes), n_intervals, [start, end) as int64.
        var set = MySqlGtidSet.Parse($"{A}:1-5:7");
        var bytes = set.Encode();
        Assert.Equal(8 + 16 + 8 + 2 * 16, bytes.Length);
        Assert.Equal(1UL, BitConverter.ToUInt64(bytes, 0));
        Assert.Equal(Convert.FromHexString(A.Replace("-", "")), bytes[8..24]);
        Assert.Equal(2UL, BitConverter.ToUInt64(bytes, 24));
        Assert.Equal(1L, BitConverter.ToInt64(bytes, 32));
        Assert.Equal(6L, BitConverter.ToInt64(bytes, 40));
        Assert.Equal(7L, BitConverter.ToInt64(bytes, 48));
        Assert.Equal(8L, BitConverter.ToInt64(bytes, 56));
        Assert.Equal(set, MySqlGtidSet.Decode(bytes));
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa9429562")]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa9429562:0")]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa9429562:5-3")]
    public void MySqlSetRejectsBadText(string text) => Assert.Throws<FormatException>(() => MySqlGtidSet.Parse(text));

    [Fact]
    public void MariaDbListParsesAddsAndFormats()
    {
        var list = MariaDbGtidList.Parse("1-2-7, 0-1-100");
        Assert.Equal("0-1-100,1-2-7", list.ToString());
        Assert.True(list.Contains(new MariaDbGtid(0, 9, 100)));
        Assert.False(list.Contains(new MariaDbGtid(0, 1, 101)));
        Assert.False(list.Contains(new MariaDbGtid(5, 1, 1)));
        list.Add(new MariaDbGtid(0, 3, 101));
        list.Add(new MariaDbGtid(5, 1, 1));
        Assert.Equal("0-3-101,1-2-7,5-1-1", list.ToString());
    }

    [Fact]
    public void MariaDbListUnionKeepsTheHigherSequencePerDomain()
    {
        var x = MariaDbGtidList.Parse("0-1-10,1-1-5");
        var y = MariaDbGtidList.Parse("0-2-8,1-2-9,2-1-1");
        var union = x.Union(y);
        Assert.Equal("0-1-10,1-2-9,2-1-1", union.ToString());
        Assert.True(union.Contains(x));
        Assert.True(union.Contains(y));
        Assert.False(x.Contains(y));
    }

    [Theory]
    [InlineData("0-1")]
    [InlineData("a-b-c")]
    [InlineData("0-1-2,0-1-3")]
    public void MariaDbListRejectsBadText(string text) => Assert.Throws<FormatException>(() => MariaDbGtidList.Parse(text));
}
