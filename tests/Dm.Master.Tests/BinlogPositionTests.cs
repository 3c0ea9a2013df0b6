using Dm.Core.Errors;
using Dm.Master.Tasks;

namespace Dm.Master.Tests;

/// <summary>The binlog operation's position argument: DM's forms in, the Sync unit's "file:pos" out, DM's 11118 otherwise.</summary>
public sealed class BinlogPositionTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("  ", "")]
    [InlineData("mysql-bin.000003:3270", "mysql-bin.000003:3270")]
    [InlineData(" mysql-bin.000003:3270 ", "mysql-bin.000003:3270")]
    [InlineData("mysql-bin|000001.000003:3270", "mysql-bin.000003:3270")]
    [InlineData("host:with:colons.000001:4", "host:with:colons.000001:4")]
    public void AcceptsDmsForms(string? raw, string expected) => Assert.Equal(expected, BinlogErrorService.NormalisePosition(raw)?.ToString() ?? "");

    [Theory]
    [InlineData("mysql-bin.000003")]
    [InlineData(":3270")]
    [InlineData("mysql-bin.000003:-1")]
    [InlineData("mysql-bin.000003:99999999999")]
    [InlineData("mysql-bin|000001:3270")]
    public void RefusesOthersWithDmsCode(string raw)
    {
        var e = Assert.Throws<DmException>(() => BinlogErrorService.NormalisePosition(raw));
        Assert.Equal(11118, e.Code);
        Assert.Contains(raw, e.Message);
    }
}
