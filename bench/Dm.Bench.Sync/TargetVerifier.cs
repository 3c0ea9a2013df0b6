using Dm.TestKit;
using Dm.TestKit.DataComparison;

namespace Dm.Bench.Sync;

/// <summary>Compares every table of <c>sbtest</c> on a target with the upstream (row count and checksums of every column).</summary>
internal static class TargetVerifier
{
    /// <summary>Throws naming each table that differs; returns the number of tables compared.</summary>
    public static async Task<int> AssertSameAsync(MariaDbServer upstream, IReplicationPeer peer, CancellationToken cancellationToken)
    {
        await using var source = await upstream.OpenAsync(cancellationToken: cancellationToken);
        await using var target = await peer.Target.OpenAsync(cancellationToken: cancellationToken);
        var tables = await SchemaTables.ListAsync(source, "sbtest", cancellationToken);
        var differences = new List<string>();
        foreach (var table in tables)
        {
            var expected = await TableChecksum.ComputeAsync(source, "sbtest", table);
            TableChecksum actual;
            try
            {
                actual = await TableChecksum.ComputeAsync(target, "sbtest", table);
            }
            catch (InvalidOperationException e)
            {
                differences.Add($"sbtest.{table}: {e.Message}");
                continue;
            }
            if (expected != actual) differences.Add($"sbtest.{table}: upstream {expected}, {peer.Name} {actual}");
        }
        if (differences.Count > 0)
            throw new InvalidOperationException($"{peer.Name}'s target differs from the upstream:\n  " + string.Join("\n  ", differences));
        return tables.Count;
    }
}
