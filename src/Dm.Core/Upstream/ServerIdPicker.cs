namespace Dm.Core.Upstream;

/// <summary>DM's choice of a replication server-id for a source whose config leaves it 0.</summary>
public static class ServerIdPicker
{
    /// <summary>DM's base: 429496729 (about a tenth of uint32), away from ids people set by hand.</summary>
    public const uint RangeStart = 429496729;
    public const uint RangeSize = 100000;

    /// <summary>A random id in [RangeStart, RangeStart+RangeSize) for which <paramref name="taken"/> is false.</summary>
    public static uint Pick(Func<uint, bool> taken, Random random)
    {
        // Random draws first, as DM does; then a scan from a random start so a crowded range still finds a hole.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var id = RangeStart + (uint)random.Next((int)RangeSize);
            if (!taken(id)) return id;
        }
        var start = (uint)random.Next((int)RangeSize);
        for (uint i = 0; i < RangeSize; i++)
        {
            var id = RangeStart + (start + i) % RangeSize;
            if (!taken(id)) return id;
        }
        throw new UpstreamException(UpstreamErrorCodes.InvalidServerId,
            $"invalid server id: every id in [{RangeStart}, {RangeStart + RangeSize}) is already used");
    }
}
