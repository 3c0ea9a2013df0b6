namespace Dm.ClusterState.Etcd;

/// <summary>
/// One member of an etcd cluster as etcd's member list gives it: its id, name (empty until the member has started
/// once), peer URLs (where the other members reach it) and client URLs (where clients reach it).
/// </summary>
public sealed record EtcdMember(ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls)
{
    /// <summary>Whether the member has started and published its name (an added member has not, until it runs).</summary>
    public bool HasStarted => Name.Length > 0;

    internal static EtcdMember From(Etcdserverpb.Member member)
        => new(member.ID, member.Name, member.PeerURLs.ToList(), member.ClientURLs.ToList());
}
