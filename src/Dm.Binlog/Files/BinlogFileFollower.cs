using System.Buffers.Binary;
using Dm.Binlog.Events;
using Dm.Binlog.Protocol;
using Dm.Binlog.Replication;
using Microsoft.Win32.SafeHandles;

namespace Dm.Binlog.Files;

/// <summary>
/// Reads a binlog file that is still being appended to (DM's relay log, written in the same process): the events up to a
/// length its writer says holds whole events, then, once it says there is more, on from there; the file stays open
/// between reads. Events name the file as <paramref name="positionFileName"/> says in their
/// <see cref="BinlogEvent.ResumePosition"/> (DM's relay form <c>mysql-bin|000001.000003</c> for a relay file); the file a
/// ROTATE names gets the same relay suffix. Bytes short of a whole event at the length asked for, or a file shorter
/// than it, are format errors naming the position (a torn tail: <see cref="BinlogFormatException.Position"/> is where
/// the incomplete event starts).
/// </summary>
public sealed class BinlogFileFollower : IDisposable
{
    // Below the large-object heap's threshold: a follower allocates a fresh chunk for every chunk read (events keep theirs).
    private const int ChunkSize = 64 * 1024;

    private readonly SafeFileHandle _file;
    private readonly BinlogEventDecoder _decoder;
    private readonly BinlogFileName _name;
    // Unread bytes are _chunk[_start.._end), the file's bytes from Position on. A chunk is never overwritten once an event
    // was decoded from it (events, rows especially, keep referring to its bytes): more room means a fresh chunk.
    private byte[] _chunk = [];
    private int _start;
    private int _end;
    // How far reads may go: the length the caller said is whole events (bytes after it may be half written).
    private long _limit;

    /// <param name="path">The binlog file.</param>
    /// <param name="decoder">The decoder of the stream the file belongs to (its table maps carry over from the previous file's).</param>
    /// <param name="startPosition">The first event to read (4 = the first); a later start reads the FORMAT_DESCRIPTION at 4 first, for the checksum.</param>
    /// <param name="positionFileName">The name positions give the file; its own name by default.</param>
    public BinlogFileFollower(string path, BinlogEventDecoder decoder, long startPosition = 4, string? positionFileName = null)
    {
        _decoder = decoder;
        _name = BinlogFileName.Parse(positionFileName ?? Path.GetFileName(path));
        _decoder.LogFile = _name.Name;
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            Span<byte> magic = stackalloc byte[4];
            if (RandomAccess.Read(_file, magic, 0) < 4 || !magic.SequenceEqual(BinlogFileReader.Magic))
                throw new BinlogFormatException($"{_name} is not a binlog file (no FE 62 69 6E magic)") { LogFile = _name.Name, Position = 0 };
            Position = 4;
            if (startPosition > 4)
            {
                // The FORMAT_DESCRIPTION at 4 sets the checksum of the events after it; it is not yielded.
                _limit = Length;
                var first = ReadTo(4 + PeekSize(), CancellationToken.None).Single();
                if (first is not FormatDescriptionEvent)
                    throw new BinlogFormatException($"{_name} starts with {first.EventType}, not a FORMAT_DESCRIPTION") { LogFile = _name.Name, Position = 4 };
                _start = _end = 0;
                Position = startPosition;
            }
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>Where the next event starts in the file.</summary>
    public long Position { get; private set; }

    /// <summary>The name positions give the file.</summary>
    public string FileName => _name.Name;

    /// <summary>The file's length now (what the writer has put there, whole events or not).</summary>
    public long Length => RandomAccess.GetLength(_file);

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// The events from <see cref="Position"/> up to <paramref name="end"/>, a file offset where an event ends (the writer's
    /// length of whole events); stops there. Lazily: <see cref="Position"/> moves as events are taken.
    /// </summary>
    public IEnumerable<BinlogEvent> ReadTo(long end, CancellationToken cancellationToken = default)
    {
        _limit = end;
        while (Position < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var size = PeekSize();
            if (size < BinlogEventHeader.Size)
                throw Error($"event at {_name}:{Position} claims {size} bytes, less than a header", (BinlogEventType)_chunk[_start + 4]);
            if (Position + size > end)
                throw Error($"{(BinlogEventType)_chunk[_start + 4]} at {_name}:{Position}: {size} bytes, but only {end - Position} are complete",
                    (BinlogEventType)_chunk[_start + 4]);
            Fill(size);
            var ev = _decoder.Decode(_chunk.AsMemory(_start, size), Position);
            _start += size;
            Position += size;
            ev.ResumePosition = ev is RotateEvent rotate
                ? new BinlogPosition(Named(rotate.NextFileName), rotate.Position)
                : new BinlogPosition(_name.Name, Position);
            yield return ev;
        }
    }

    /// <summary>The length of the event at <see cref="Position"/> (its header read into the chunk).</summary>
    private int PeekSize()
    {
        Fill(BinlogEventHeader.Size);
        return (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(_chunk.AsSpan(_start + 9)));
    }

    /// <summary>A file name a ROTATE gives, in this file's form (the relay suffix added when this file has one).</summary>
    private string Named(string next) =>
        _name.RelaySuffix is { } suffix ? BinlogFileName.Parse(next).WithRelaySuffix(suffix).Name : next;

    /// <summary>Makes <paramref name="count"/> unread bytes available; a file shorter than that is a torn tail.</summary>
    private void Fill(int count)
    {
        if (_end - _start >= count) return;
        ChunkRoom.Ensure(ref _chunk, ref _start, ref _end, count, ChunkSize);
        while (_end - _start < count)
        {
            var at = Position + (_end - _start);
            var room = (int)Math.Min(_chunk.Length - _end, Math.Max(0, _limit - at));
            var read = room == 0 ? 0 : RandomAccess.Read(_file, _chunk.AsSpan(_end, room), at);
            if (read == 0)
            {
                var type = _end - _start >= 5 ? (BinlogEventType?)_chunk[_start + 4] : null;
                throw Error($"{type?.ToString() ?? "event"} at {_name}:{Position}: truncated, {_end - _start} of {count} bytes in the file", type);
            }
            _end += read;
        }
    }

    private BinlogFormatException Error(string message, BinlogEventType? type) =>
        new(message) { LogFile = _name.Name, Position = Position, EventType = type };
}
