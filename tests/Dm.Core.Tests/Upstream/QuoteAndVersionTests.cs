using Dm.Core.Upstream;

namespace Dm.Core.Tests.Upstream;

public sealed class QuoteAndVersionTests
{
    [Theory]
    [InlineData("t", "`t`")]
    [InlineData("db-name", "`db-name`")]
    [InlineData("a`b", "`a``b`")]
    [InlineData("``", "``````")]
    [InlineData("", "``")]
    public void IdentifierIsBacktickedWithBackticksDoubled(string name, string quoted) => Assert.Equal(quoted, Quote.Identifier(name));

    [Fact]
    public void TableIsSchemaDotTable() => Assert.Equal("`d``b`.`t.1`", Quote.Table("d`b", "t.1"));

    [Theory]
    [InlineData("10.11.19-MariaDB-0+deb12u1", 10, 11, 19)]
    [InlineData("8.0.36-log", 8, 0, 36)]
    [InlineData("5.5.5-10.6.12-MariaDB", 10, 6, 12)]
    [InlineData("5.7.18", 5, 7, 18)]
    public void VersionParses(string text, int major, int minor, int patch)
    {
        Assert.True(ServerVersion.TryParse(text, out var v));
        Assert.Equal(new ServerVersion(major, minor, patch), v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8.0")]
    [InlineData("abc")]
    public void BadVersionDoesNotParse(string text) => Assert.False(ServerVersion.TryParse(text, out _));

    [Theory]
    [InlineData("10.11.19-MariaDB-0+deb12u1", "Debian 12", "mariadb")]
    [InlineData("5.5.5-10.6.1", "mariadb.org binary distribution", "mariadb")]
    [InlineData("8.0.36", "MySQL Community Server - GPL", "mysql")]
    public void FlavorFromVersionAndComment(string version, string comment, string flavor) =>
        Assert.Equal(flavor, ServerFlavor.Detect(version, comment));

    [Fact]
    public void ServerIdPickerStaysInDmRangeAndAvoidsTakenIds()
    {
        var taken = new HashSet<uint>();
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var id = ServerIdPicker.Pick(taken.Contains, random);
            Assert.InRange(id, 429496729u, 429496729u + 99999u);
            Assert.True(taken.Add(id));
        }
    }

    [Fact]
    public void ServerIdPickerFindsTheLastFreeIdAndFailsWhenNoneIsLeft()
    {
        const uint free = 429496729u + 4242u;
        Assert.Equal(free, ServerIdPicker.Pick(id => id != free, new Random(1)));
        var e = Assert.Throws<UpstreamException>(() => ServerIdPicker.Pick(_ => true, new Random(1)));
        Assert.Equal(UpstreamErrorCodes.InvalidServerId, e.Code);
    }

    [Fact]
    public void GtidOnMySqlNeedsGtidModeOn()
    {
        var endpoint = new DatabaseEndpoint("db1", 3306, "u", "p");
        var mysql = new ServerInfo
        {
            Version = "8.0.36", VersionComment = "", Flavor = ServerFlavor.MySql, ServerId = 1, LogBin = true,
            BinlogFormat = "ROW", BinlogRowImage = "FULL", GtidMode = "OFF_PERMISSIVE", LowerCaseTableNames = 0, MaxConnections = 151,
        };
        var e = Assert.Throws<UpstreamException>(() => UpstreamInspector.EnsureGtidUsable(mysql, endpoint));
        Assert.Equal(26007, e.Code);
        Assert.StartsWith("db1:3306 has GTID_MODE = OFF_PERMISSIVE instead of ON", e.Message);
        UpstreamInspector.EnsureGtidUsable(mysql with { GtidMode = "ON" }, endpoint);
        UpstreamInspector.EnsureGtidUsable(mysql with { Flavor = ServerFlavor.MariaDb, GtidMode = null }, endpoint);
    }

    [Fact]
    public void EndpointNeverPrintsItsPassword() =>
        Assert.DoesNotContain("s3cret", new DatabaseEndpoint("h", 1, "u", "s3cret").ToString());
}
