namespace Dm.TestKit;

/// <summary>The members of one etcd cluster started by <see cref="EtcdServer.StartClusterAsync"/>; disposing stops them all.</summary>
public sealed class EtcdCluster(IReadOnlyList<EtcdServer> members) : IAsyncDisposable
{
    public IReadOnlyList<EtcdServer> Members { get; } = members;

    /// <summary>Every member's client URL, as a store is given them.</summary>
    public IReadOnlyList<string> ClientUrls => Members.Select(m => m.ClientUrl).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
            await member.DisposeAsync();
    }
}
