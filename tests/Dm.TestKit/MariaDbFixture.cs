using Xunit;

namespace Dm.TestKit;

/// <summary>
/// One MariaDB server shared by a test collection. Test projects declare
/// <c>[CollectionDefinition("...")] class X : ICollectionFixture&lt;MariaDbFixture&gt;</c>.
/// </summary>
public class MariaDbFixture : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("fixture not initialised");

    protected virtual MariaDbOptions Options => new();

    public async Task InitializeAsync() => _server = await MariaDbServer.StartAsync(Options);

    public async Task DisposeAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }
}
