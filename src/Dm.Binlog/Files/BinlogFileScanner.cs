using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Dm.Binlog.Events;

namespace Dm.Binlog.Files;

/// <summary>
/// Reads a binlog file event by event with no object per event: each <see cref="Read"/> gives a checked
/// <see cref="BinlogEventView"/>, valid until the next <see cref="Read"/> (and never after <see cref="Dispose"/>).
/// The file is memory-mapped (no copy: the fastest way through a whole file; it reads the length the file had
/// when opened) or, with <c>memoryMapped: false</c>, read through one reused buffer.
/// <see cref="BinlogFileReader"/> gives event objects instead. A truncated last event is an error naming its position.
/// </summary>
public sealed class BinlogFileScanner : IDisposable
{
    private const int DefaultBufferSize = 1 << 20;

    private readonly FileStream _stream;
    private readonly MappedFileMemory? _map;
    private readonly string _fileName;
    private byte[] _buffer;
    private int _start; // next event in _buffer
    private int _end; // bytes filled in _buffer
    private long _bufferPosition; // file offset of _buffer[0]
    private ReadAhead _readAhead;

    /// <summary>
    /// Opens <paramref name="path"/> for events from <paramref name="startPosition"/> (4 = the first event).
    /// Starting later still reads the FORMAT_DESCRIPTION at 4 first (to learn the checksum).
    /// </summary>
    public BinlogFileScanner(string path, BinlogEventDecoder? decoder = null, long startPosition = 4, bool memoryMapped = true,
        int bufferSize = DefaultBufferSize)
    {
        _fileName = Path.GetFileName(path);
        Decoder = decoder ?? new BinlogEventDecoder();
        Decoder.LogFile = _fileName;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        try
        {
            // Files beyond 2 GiB (never written by max_binlog_size ≤ 1 GiB) are read through the buffer.
            if (memoryMapped && _stream.Length <= int.MaxValue) _map = MappedFileMemory.Open(path, int.MaxValue);
            _buffer = _map == null ? new byte[Math.Max(bufferSize, 64 * 1024)] : [];
            Fill();
            if (_end < 4 || !Data[..4].SequenceEqual(BinlogFileReader.Magic))
                throw new BinlogFormatException($"{_fileName} is not a binlog file (no FE 62 69 6E magic)") { LogFile = _fileName, Position = 0 };
            _start = 4;
            if (startPosition > 4) SkipTo(startPosition);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public BinlogEventDecoder Decoder { get; }

    /// <summary>The file position after the last event read (where the next one starts).</summary>
    public long NextPosition => _bufferPosition + _start;

    public void Dispose()
    {
        _map?.Release();
        _stream.Dispose();
    }

    /// <summary>The bytes read so far: the whole map, or the buffer's filled part.</summary>
    private ReadOnlySpan<byte> Data => _map != null ? _map.GetSpan() : _buffer.AsSpan(0, _end);

    /// <summary>The next event; false at the end of the file.</summary>
    public bool Read(out BinlogEventView ev)
    {
        // The common case inline: a whole event of a sane length already in the map or buffer.
        var start = _start;
        var available = _end - start;
        if (available >= BinlogEventHeader.Size)
        {
            var data = Data;
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(start + 9)..]);
            if (size >= BinlogEventHeader.Size && size <= (uint)available)
            {
                _start = start + (int)size;
                _readAhead.Request(data, start + (int)size);
                Decoder.Inspect(data.Slice(start, (int)size), _bufferPosition + start, out ev);
                return true;
            }
        }
        return ReadMore(out ev);
    }

    /// <summary><see cref="Read"/> when the next event is not whole in the buffer (or is malformed).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ReadMore(out BinlogEventView ev)
    {
        while (true)
        {
            var data = Data;
            var available = _end - _start;
            var need = BinlogEventHeader.Size;
            if (available >= BinlogEventHeader.Size)
            {
                var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(_start + 9)..]);
                if (size < BinlogEventHeader.Size)
                    throw new BinlogFormatException($"event at {_fileName}:{NextPosition} claims {size} bytes, less than a header")
                        { LogFile = _fileName, Position = NextPosition, EventType = (BinlogEventType)data[_start + 4] };
                if (size <= available)
                {
                    var at = _start;
                    var position = NextPosition;
                    _start += (int)size;
                    Decoder.Inspect(data.Slice(at, (int)size), position, out ev);
                    return true;
                }
                need = (int)Math.Min(size, int.MaxValue);
            }
            if (!Refill(need))
            {
                if (available == 0)
                {
                    ev = default;
                    return false;
                }
                var type = available >= 5 ? (BinlogEventType?)Data[_start + 4] : null;
                throw new BinlogFormatException($"{type?.ToString() ?? "event"} at {_fileName}:{NextPosition}: truncated, {available} of {need} bytes in the file")
                    { LogFile = _fileName, Position = NextPosition, EventType = type };
            }
        }
    }

    /// <summary>Moves the unread bytes to the front (growing the buffer for a large event) and reads on; false when the file has no more.</summary>
    private bool Refill(int need)
    {
        if (_map != null) return false;
        var available = _end - _start;
        if (need > _buffer.Length)
        {
            var larger = new byte[Math.Max(need, _buffer.Length * 2)];
            _buffer.AsSpan(_start, available).CopyTo(larger);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(_start, available).CopyTo(_buffer);
        }
        _bufferPosition += _start;
        _start = 0;
        _readAhead.Reset();
        _end = available;
        return Fill() > 0;
    }

    /// <summary>Reads until the buffer is full or the file ends; returns the bytes added.</summary>
    private int Fill()
    {
        if (_map != null)
        {
            var length = _map.Memory.Length;
            var added = length - _end;
            _end = length;
            return added;
        }
        return FillBuffer();
    }

    private int FillBuffer()
    {
        var added = 0;
        while (_end < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) break;
            _end += read;
            added += read;
        }
        return added;
    }

    private void SkipTo(long startPosition)
    {
        // The FORMAT_DESCRIPTION at 4 sets the checksum of the events that follow.
        var data = Data;
        if (_end - _start >= BinlogEventHeader.Size && (BinlogEventType)data[_start + 4] == BinlogEventType.FormatDescription)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(_start + 9)..]);
            if (size <= _end - _start) Decoder.Inspect(data.Slice(_start, (int)size), 4);
        }
        if (_map != null)
        {
            _start = (int)Math.Min(startPosition, _end);
            return;
        }
        _stream.Seek(startPosition, SeekOrigin.Begin);
        _bufferPosition = startPosition;
        _start = _end = 0;
        _readAhead.Reset();
        Fill();
    }
}
