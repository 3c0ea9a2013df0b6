using Dm.ClusterState.Sqlite;

namespace Dm.ClusterState.Tests;

/// <summary>The shared contract against the local SQLite store; "reopen" is a restart on the same data dir.</summary>
public sealed class SqliteClusterStoreContractTests : ClusterStoreContract
{
    private readonly TempDataDir _dir = new();

    protected override Task<IClusterStore> CreateStoreAsync() => Task.FromResult<IClusterStore>(SqliteClusterStore.Open(_dir.Path));

    protected override async Task<IClusterStore> ReopenAsync(IClusterStore store)
    {
        await store.DisposeAsync();
        return SqliteClusterStore.Open(_dir.Path);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
