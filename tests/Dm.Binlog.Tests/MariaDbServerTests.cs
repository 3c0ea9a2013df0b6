using Dm.TestKit;

namespace Dm.Binlog.Tests;

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "mariadb";
}

/// <summary>The test kit's server is what replication tests assume: binlog on, ROW format, our server-id.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MariaDbServerTests(MariaDbFixture fixture)
{
    [Fact]
    public async Task ServerHasRowBinlogAndChosenServerId()
    {
        var server = fixture.Server;
        Assert.Equal("ROW", await server.ScalarAsync("SELECT @@binlog_format"));
        Assert.Equal(1, Convert.ToInt32(await server.ScalarAsync("SELECT @@log_bin")));
        Assert.Equal(1u, Convert.ToUInt32(await server.ScalarAsync("SELECT @@server_id")));
        Assert.StartsWith("10.11", (string?)await server.ScalarAsync("SELECT VERSION()"));
    }
}
