using Xunit;

namespace Dm.TestKit;

/// <summary>
/// One three-member etcd cluster shared by a test class (<c>IClassFixture&lt;EtcdClusterFixture&gt;</c>); tests keep apart by
/// key prefix, as with <see cref="EtcdFixture"/>.
/// </summary>
public sealed class EtcdClusterFixture : IAsyncLifetime
{
    private EtcdCluster? _cluster;

    public EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync() => _cluster = await EtcdServer.StartClusterAsync(3);

    public async Task DisposeAsync()
    {
        if (_cluster != null) await _cluster.DisposeAsync();
    }
}
