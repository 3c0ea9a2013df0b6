using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Dm.Binlog.Events;
using Dm.Binlog.Replication;

namespace Dm.Binlog.Files;

/// <summary>
/// Reads a binlog (or relay log) file from disk with the same decoder as the replication client:
/// the 4-byte magic <c>FE 62 69 6E</c>, then events back to back. Reads in large chunks that events
/// may keep referencing (no copy per event). A truncated last event is an error naming its position.
/// </summary>
public sealed class BinlogFileReader : IDisposable
{
    public static ReadOnlySpan<byte> Magic => [0xFE, 0x62, 0x69, 0x6E];

    private const int ChunkSize = 1 << 20;

    private readonly string _path;
    private readonly BinlogEventDecoder _decoder;

    public BinlogFileReader(string path, BinlogEventDecoder? decoder = null)
    {
        _path = path;
        _decoder = decoder ?? new BinlogEventDecoder();
        _decoder.LogFile = Path.GetFileName(path);
    }

    public BinlogEventDecoder Decoder => _decoder;

    /// <summary>
    /// Map the file into memory instead of reading it in chunks: no copy of the bytes (the fastest way
    /// through a large file). Reads the length the file had when reading started. The events then refer
    /// to the map, which <see cref="Dispose"/> releases: do not use them (their rows, spans, values) after.
    /// </summary>
    public bool MemoryMapped { get; set; }

    private readonly List<MappedFileMemory> _maps = new();

    /// <summary>Releases the memory maps of <see cref="MemoryMapped"/> reads (nothing to do otherwise).</summary>
    public void Dispose()
    {
        lock (_maps)
        {
            foreach (var map in _maps) map.Release();
            _maps.Clear();
        }
    }

    /// <summary>
    /// Events from <paramref name="startPosition"/> (4 = the first event). Starting later still reads the
    /// FORMAT_DESCRIPTION at 4 first (to learn the checksum) without yielding it.
    /// </summary>
    public async IAsyncEnumerable<BinlogEvent> ReadEventsAsync(long startPosition = 4, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Local file reads complete at once; the synchronous reader avoids an async step per event.
        await Task.Yield();
        foreach (var ev in ReadEvents(startPosition, cancellationToken)) yield return ev;
    }

    /// <summary>The same as <see cref="ReadEventsAsync"/>, synchronously (the fastest way through a whole file).</summary>
    public IEnumerable<BinlogEvent> ReadEvents(long startPosition = 4, CancellationToken cancellationToken = default) =>
        MemoryMapped ? ReadMapped(startPosition, cancellationToken) : ReadChunks(startPosition, cancellationToken);

    private IEnumerable<BinlogEvent> ReadMapped(long startPosition, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(_path);
        // Files beyond 2 GiB (never written by max_binlog_size ≤ 1 GiB) are read in chunks instead.
        if (new FileInfo(_path).Length > int.MaxValue)
        {
            foreach (var ev in ReadChunks(startPosition, cancellationToken)) yield return ev;
            yield break;
        }
        var map = MappedFileMemory.Open(_path, int.MaxValue);
        if (map != null) lock (_maps) _maps.Add(map);
        var memory = map?.Memory ?? Memory<byte>.Empty;
        var length = memory.Length;
        if (length < 4 || !memory.Span[..4].SequenceEqual(Magic))
            throw new BinlogFormatException($"{fileName} is not a binlog file (no FE 62 69 6E magic)") { LogFile = fileName, Position = 0 };
        var at = 4;
        var readAhead = new ReadAhead();
        if (startPosition > 4)
        {
            // Read the FORMAT_DESCRIPTION for the checksum, then jump.
            if (length - at >= BinlogEventHeader.Size)
            {
                var size = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(memory.Span[(at + 9)..]));
                if (size <= length - at && (BinlogEventType)memory.Span[at + 4] == BinlogEventType.FormatDescription)
                    _decoder.Decode(memory.Slice(at, size), 4);
            }
            at = (int)Math.Min(startPosition, length);
        }
        while (at < length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var available = length - at;
            var need = available < BinlogEventHeader.Size ? BinlogEventHeader.Size
                : (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(memory.Span[(at + 9)..]));
            if (need < BinlogEventHeader.Size)
                throw new BinlogFormatException($"event at {fileName}:{at} claims {need} bytes, less than a header")
                    { LogFile = fileName, Position = at, EventType = (BinlogEventType)memory.Span[at + 4] };
            if (need > available)
            {
                var type = available >= 5 ? (BinlogEventType?)memory.Span[at + 4] : null;
                throw new BinlogFormatException($"{type?.ToString() ?? "event"} at {fileName}:{at}: truncated, {available} of {need} bytes in the file")
                    { LogFile = fileName, Position = at, EventType = type };
            }
            readAhead.Request(memory.Span, at + need);
            var ev = _decoder.Decode(memory.Slice(at, need), at);
            at += need;
            ev.ResumePosition = ev is RotateEvent rotate ? new BinlogPosition(rotate.NextFileName, rotate.Position) : new BinlogPosition(fileName, at);
            yield return ev;
        }
    }

    private IEnumerable<BinlogEvent> ReadChunks(long startPosition, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var fileName = Path.GetFileName(_path);
        var chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);
        var filled = Fill(stream, chunk, 0, cancellationToken);
        if (filled < 4 || !chunk.AsSpan(0, 4).SequenceEqual(Magic))
            throw new BinlogFormatException($"{fileName} is not a binlog file (no FE 62 69 6E magic)") { LogFile = fileName, Position = 0 };
        var at = 4; // offset of the next event in chunk
        long filePosition = 4; // file offset of chunk[at]
        if (startPosition > 4)
        {
            // Read the FORMAT_DESCRIPTION for the checksum, then jump.
            if (filled - at >= BinlogEventHeader.Size)
            {
                var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(at + 9));
                if (size <= filled - at && (BinlogEventType)chunk[at + 4] == BinlogEventType.FormatDescription)
                    _decoder.Decode(chunk.AsMemory(at, size), 4);
            }
            stream.Seek(startPosition, SeekOrigin.Begin);
            filled = Fill(stream, chunk, 0, cancellationToken);
            at = 0;
            filePosition = startPosition;
        }
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var available = filled - at;
            if (available == 0)
            {
                // A fresh chunk: events already handed out (rows decode lazily) still reference the old one.
                chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);
                filled = Fill(stream, chunk, 0, cancellationToken);
                at = 0;
                if (filled == 0) yield break;
                continue;
            }
            if (available < BinlogEventHeader.Size || (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(at + 9))) > available)
            {
                var need = available < BinlogEventHeader.Size ? BinlogEventHeader.Size : (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(at + 9)));
                if (need < BinlogEventHeader.Size)
                    throw new BinlogFormatException($"event at {fileName}:{filePosition} claims {need} bytes, less than a header")
                        { LogFile = fileName, Position = filePosition, EventType = (BinlogEventType)chunk[at + 4] };
                // Move the partial event into a fresh chunk (old chunks stay valid for events handed out).
                var fresh = GC.AllocateUninitializedArray<byte>(Math.Max(ChunkSize, need));
                chunk.AsSpan(at, available).CopyTo(fresh);
                chunk = fresh;
                at = 0;
                filled = available + Fill(stream, chunk, available, cancellationToken);
                if (filled < need)
                {
                    var type = filled >= 5 ? (BinlogEventType?)chunk[4] : null;
                    throw new BinlogFormatException($"{type?.ToString() ?? "event"} at {fileName}:{filePosition}: truncated, {filled} of {need} bytes in the file")
                        { LogFile = fileName, Position = filePosition, EventType = type };
                }
                continue;
            }
            var eventSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(at + 9));
            var ev = _decoder.Decode(chunk.AsMemory(at, eventSize), filePosition);
            at += eventSize;
            filePosition += eventSize;
            // After a ROTATE the next events are in the file it names (as on the wire).
            ev.ResumePosition = ev is RotateEvent rotate ? new BinlogPosition(rotate.NextFileName, rotate.Position) : new BinlogPosition(fileName, filePosition);
            yield return ev;
        }
    }

    private static int Fill(Stream stream, byte[] buffer, int offset, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var total = offset;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer.AsSpan(total));
            if (read == 0) break;
            total += read;
        }
        return total - offset;
    }
}
