using Dm.Core.Upstream;
using Dm.TestKit;

namespace Dm.Core.Tests.Upstream;

[Collection(UpstreamServersCollection.Name)]
public sealed class SourceProbeTests(UpstreamServers servers)
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task DetectsFlavorPicksServerIdAndCaseSensitivity()
    {
        var used = Enumerable.Range(0, 1000).Select(i => 429496729u + (uint)i).ToHashSet();
        var a = await SourceProbe.AdjustAsync(UpstreamServers.Root(servers.Source), "", 0, enableGtid: true, used, Ct);
        Assert.Equal("mariadb", a.Flavor);
        Assert.InRange(a.ServerId, 429496729u + 1000u, 429496729u + 99999u);
        Assert.True(a.CaseSensitive);
        Assert.Equal(1u, a.Info.ServerId);
    }

    [Fact]
    public async Task KeepsWhatTheConfigSets()
    {
        var a = await SourceProbe.AdjustAsync(UpstreamServers.Root(servers.Statement), "mysql", 77, enableGtid: false, new HashSet<uint>(), Ct);
        Assert.Equal(("mysql", 77u), (a.Flavor, a.ServerId));
    }

    [Fact]
    public async Task RejectsUnknownFlavorAndUnreachableUpstream()
    {
        var e = await Assert.ThrowsAsync<UpstreamException>(() =>
            SourceProbe.AdjustAsync(UpstreamServers.Root(servers.Source), "oracle", 0, false, new HashSet<uint>(), Ct));
        Assert.Equal(11010, e.Code);
        e = await Assert.ThrowsAsync<UpstreamException>(() =>
            SourceProbe.AdjustAsync(new DatabaseEndpoint("127.0.0.1", Dm.TestKit.FreePort.Next(), "u", "p"), "", 0, false, new HashSet<uint>(), Ct));
        Assert.Equal(10001, e.Code);
    }
}
