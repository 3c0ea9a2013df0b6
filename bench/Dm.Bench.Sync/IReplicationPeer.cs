using Dm.TestKit;

namespace Dm.Bench.Sync;

/// <summary>Something that applies the upstream's binlog to its own target server from a given position.</summary>
internal interface IReplicationPeer
{
    string Name { get; }

    /// <summary>The settings that matter for the comparison, as read back from the peer.</summary>
    Task<string> DescribeAsync(CancellationToken cancellationToken);

    MariaDbServer Target { get; }

    /// <summary>Processes whose CPU time the peer spends applying (found in /proc by a fragment of their command line).</summary>
    IReadOnlyList<(string Label, string CommandLineFragment)> Processes { get; }

    Task StartAsync(BinlogCoordinates from, CancellationToken cancellationToken);

    /// <summary>Stops applying and forgets where it was, so that <see cref="StartAsync"/> can begin again (the next round).</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Throws with the peer's own error when replication has stopped on one.</summary>
    Task ThrowIfFailedAsync(CancellationToken cancellationToken);

    /// <summary>The upstream position the peer reports as applied, null when it reports none.</summary>
    Task<BinlogCoordinates?> AppliedPositionAsync(CancellationToken cancellationToken);
}
