using Dm.Core.CommandLine;

namespace Dm.Master.Ha;

/// <summary>
/// etcd's <c>--initial-cluster</c> as DM's master takes it: <c>name=peer-url</c> pairs separated by commas, a name
/// repeated once per peer URL of that member.
/// </summary>
public sealed record InitialCluster(IReadOnlyList<(string Name, string PeerUrl)> Entries)
{
    public override string ToString() => string.Join(',', Entries.Select(e => $"{e.Name}={e.PeerUrl}"));

    public IEnumerable<string> PeerUrlsOf(string name) => Entries.Where(e => e.Name == name).Select(e => e.PeerUrl);

    /// <param name="tls">whether the members talk TLS (<see cref="PeerUrl.Parse"/>).</param>
    /// <exception cref="ProcessConfigException">an entry is not <c>name=http://host:port</c>.</exception>
    public static InitialCluster Parse(string text, bool tls)
    {
        var entries = new List<(string, string)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new ProcessConfigException($"initial-cluster entry \"{part}\" is not name=peer-url");
            entries.Add((part[..eq], PeerUrl.Parse("initial-cluster", part[(eq + 1)..], tls)));
        }
        if (entries.Count == 0) throw new ProcessConfigException("initial-cluster is empty");
        return new InitialCluster(entries);
    }
}
