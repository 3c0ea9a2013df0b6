namespace Dm.Binlog.Protocol;

/// <summary>
/// Room to read more into a chunk whose bytes may still be referenced by what was handed out of it (packet payloads,
/// events that decode lazily): a chunk is never written again where it was read, so when the unread bytes and
/// <c>count</c> more do not fit after them, the unread bytes move to the start of a fresh chunk.
/// </summary>
internal static class ChunkRoom
{
    /// <param name="chunk">The chunk; replaced by a fresh one when needed.</param>
    /// <param name="start">Where the unread bytes start in it.</param>
    /// <param name="end">Where they end.</param>
    /// <param name="count">How many unread bytes must fit from <paramref name="start"/>.</param>
    /// <param name="chunkSize">The size of a fresh chunk (larger when <paramref name="count"/> is).</param>
    public static void Ensure(ref byte[] chunk, ref int start, ref int end, int count, int chunkSize)
    {
        if (chunk.Length - start >= count) return;
        var fresh = GC.AllocateUninitializedArray<byte>(Math.Max(chunkSize, count));
        chunk.AsSpan(start, end - start).CopyTo(fresh);
        end -= start;
        start = 0;
        chunk = fresh;
    }
}
