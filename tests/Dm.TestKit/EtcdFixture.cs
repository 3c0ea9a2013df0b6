using Xunit;

namespace Dm.TestKit;

/// <summary>
/// One one-member etcd shared by a test class or collection (<c>IClassFixture&lt;EtcdFixture&gt;</c>); tests keep
/// apart by key prefix. A test that kills, freezes or compacts beyond its own keys starts its own server instead.
/// </summary>
public class EtcdFixture : IAsyncLifetime
{
    private EtcdServer? _server;

    public EtcdServer Server => _server ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync() => _server = await EtcdServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }
}
