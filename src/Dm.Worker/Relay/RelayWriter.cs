using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Errors;

namespace Dm.Worker.Relay;

/// <summary>
/// Writes what the relay pulls into the binlog files of one relay sub-directory, each event's bytes exactly as the upstream
/// sent them (never decoded and encoded again), at the offsets the upstream's file has them: a file starts with the magic
/// header and its FORMAT_DESCRIPTION, the events follow, a ROTATE ends it; the source's fake events (the ROTATE and
/// FORMAT_DESCRIPTION that start a dump, heartbeats) are not written. An event that does not start where the file ends is
/// refused (the copy would no longer be the upstream's file).
/// <para>
/// Crash safety: events collect in a buffer that <see cref="Flush"/> writes to the file, then publishes to readers (they
/// read only whole events that reached the file); <see cref="Sync"/> makes the file durable (fsync) and only then writes
/// <c>relay.meta</c> with the end of the last whole transaction, so the meta is never ahead of the data. A write that fails
/// (a full disk) cuts the file back to its published length and leaves the writer unusable.
/// </para>
/// </summary>
internal sealed class RelayWriter : IDisposable
{
    private const int BufferSize = 256 * 1024;

    /// <summary>The binlog magic header's length: a file no longer than it holds no event yet.</summary>
    private static readonly int MagicLength = Dm.Binlog.Files.BinlogFileReader.Magic.Length;

    private readonly RelaySubDirectory _directory;
    private readonly RelayLog _log;
    private readonly Func<string, FileStream> _open;
    private readonly TransactionTracker _tracker;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(BufferSize);
    private int _buffered;
    private FileStream? _file;
    private string _fileName;
    private long _length; // bytes of the file, buffered ones included
    private long _published; // bytes written to the file and shown to readers
    private BinlogPosition _boundary; // where the last whole transaction ends (resume point)
    private bool _atBoundary = true;
    private BinlogPosition _synced; // what relay.meta says
    private bool _broken;

    /// <param name="directory">The sub-directory written.</param>
    /// <param name="log">The shared relay log, told of every flush.</param>
    /// <param name="start">Where the upstream stream starts (the upstream's file name; offset 4 for a new file), at a transaction boundary.</param>
    /// <param name="executed">The GTIDs executed before <paramref name="start"/>; null when unknown (taken from the first file's GTID list).</param>
    /// <param name="open">Opens a relay file for writing (tests put a failing stream here).</param>
    public RelayWriter(RelaySubDirectory directory, RelayLog log, BinlogPosition start, GtidSet? executed, Func<string, FileStream>? open = null)
    {
        _directory = directory;
        _log = log;
        _open = open ?? (path => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1));
        _tracker = new TransactionTracker(executed);
        _fileName = start.FileName;
        _boundary = _synced = start;
        OpenExisting(start);
    }

    /// <summary>Where the relay resumes after the last whole transaction written (the upstream's file name).</summary>
    public BinlogPosition Boundary => _boundary;

    /// <summary>Where the events after the last one written start (the upstream's file name).</summary>
    public BinlogPosition Position => new(_fileName, _length);

    /// <summary>The GTIDs executed up to the last whole transaction written; null while none is known.</summary>
    public GtidSet? ExecutedGtid => _tracker.Executed;

    /// <summary>Bytes waiting in the buffer.</summary>
    public int Buffered => _buffered;

    /// <summary>Takes one event of the upstream's stream. Throws DM's relay errors when it cannot be written where it belongs.</summary>
    public void Write(in BinlogRawEvent ev)
    {
        if (_broken) throw DmErrors.ErrRelayWriterNotOpened.New();
        var header = ev.Header;
        switch (ev.EventType)
        {
            case BinlogEventType.Heartbeat:
                return;
            case BinlogEventType.Rotate when header.IsArtificial || header.NextPosition == 0:
                var rotate = (RotateEvent)ev.Decoded!;
                SwitchTo(rotate.NextFileName, rotate.Position);
                return;
            case BinlogEventType.FormatDescription:
                if (_file is null || _length <= MagicLength)
                {
                    StartFile();
                    Append(ev);
                }
                // Otherwise the dump resumed inside the file, which already starts with this FORMAT_DESCRIPTION.
                return;
        }
        if (header.IsArtificial || header.NextPosition == 0) return; // made up by the source, not in its file
        if (_file is null) throw DmErrors.ErrRelayWriterNotOpened.New();
        Append(ev);
        if (ev.Decoded is { } decoded)
        {
            _tracker.ObserveFileStart(decoded);
            _tracker.Observe(decoded);
        }
        if (ev.Decoded is RotateEvent next)
        {
            // The last event of the file: the next file begins with its own FORMAT_DESCRIPTION.
            Flush();
            CloseFile();
            _fileName = next.NextFileName;
            _length = 0;
            _published = 0;
            _boundary = new BinlogPosition(next.NextFileName, next.Position);
            _atBoundary = true;
            Sync();
            return;
        }
        _atBoundary = !_tracker.InGroup;
        if (_atBoundary) _boundary = new BinlogPosition(_fileName, _length);
        if (_buffered >= BufferSize / 2) Flush();
    }

    /// <summary>Writes the buffered events to the file and shows them to readers.</summary>
    public void Flush()
    {
        if (_file is null || _buffered == 0) return;
        Guard(() => _file.Write(_buffer, 0, _buffered));
        _buffered = 0;
        _published = _length;
        _log.Publish(_directory, _fileName, _published);
    }

    /// <summary>
    /// Makes the written events durable, then records the last transaction boundary in <c>relay.meta</c> (not ahead of the
    /// data: the meta is written after the fsync). Between transactions only; a meta already there is not written again.
    /// </summary>
    public void Sync()
    {
        Flush();
        if (!_atBoundary || _boundary == _synced) return;
        if (_file is not null) Guard(() => _file.Flush(flushToDisk: true));
        new RelayMeta(_boundary, _tracker.Executed?.Clone()).Write(_directory.MetaPath);
        _synced = _boundary;
    }

    /// <summary>Flushes, syncs what it can and closes the file (a clean stop; a broken writer only closes).</summary>
    public void Dispose()
    {
        try
        {
            if (!_broken) Sync();
        }
        finally
        {
            _file?.Dispose();
            _file = null;
        }
    }

    /// <summary>Continues a file the relay already has (the stream resumes at its end), or waits for the FORMAT_DESCRIPTION of a new one.</summary>
    private void OpenExisting(BinlogPosition start)
    {
        var path = _directory.FilePath(start.FileName);
        if (!File.Exists(path)) return;
        var length = new FileInfo(path).Length;
        if (length <= MagicLength) return; // a file the FORMAT_DESCRIPTION will start again
        if (length != start.Position)
            throw DmErrors.ErrRelayWriterLatestPosGTFileSize.WithMessage(
                $"relay log file {path} holds {length} bytes, but the relay resumes at {start}: recover the relay log first");
        _file = Guard(() => _open(path));
        _file.Seek(length, SeekOrigin.Begin);
        _length = _published = length;
        _log.Publish(_directory, _fileName, _published);
    }

    /// <summary>The source's fake ROTATE: the events that follow are in <paramref name="file"/> from <paramref name="position"/>.</summary>
    private void SwitchTo(string file, long position)
    {
        if (file == _fileName && (_file is not null ? _length == position : position <= MagicLength || _length == 0)) return;
        if (file == _fileName && _file is not null)
            throw DmErrors.ErrRelayWriterLatestPosGTFileSize.WithMessage(
                $"the upstream sends {file} from {position}, but relay log file {_directory.FilePath(file)} ends at {_length}");
        // Another file (the previous one ended without a ROTATE: a server stop): close it and go on in the new one.
        Flush();
        CloseFile();
        _fileName = file;
        _length = _published = 0;
        if (position > MagicLength) OpenExisting(new BinlogPosition(file, position));
        _boundary = new BinlogPosition(file, _file is null ? MagicLength : _length);
        _atBoundary = true;
    }

    /// <summary>A new file: the magic header (the FORMAT_DESCRIPTION follows).</summary>
    private void StartFile()
    {
        var path = _directory.FilePath(_fileName);
        _file?.Dispose();
        _file = Guard(() => _open(path));
        Guard(() => _file.SetLength(0));
        Dm.Binlog.Files.BinlogFileReader.Magic.CopyTo(_buffer);
        _buffered = MagicLength;
        _length = MagicLength;
        _published = 0;
    }

    private void Append(in BinlogRawEvent ev)
    {
        var bytes = ev.Bytes.Span;
        var header = ev.Header;
        if (header.NextPosition != 0 && header.NextPosition - header.EventSize != _length)
            throw DmErrors.ErrRelayWriterLatestPosGTFileSize.WithMessage(
                $"{ev.EventType} ends at {_fileName}:{header.NextPosition}, so it starts at {header.NextPosition - header.EventSize}, " +
                $"but relay log file {_directory.FilePath(_fileName)} ends at {_length}");
        if (bytes.Length > _buffer.Length - _buffered)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                var big = ev.Bytes;
                Guard(() => _file!.Write(big.Span));
                _length += bytes.Length;
                _published = _length;
                _log.Publish(_directory, _fileName, _published);
                return;
            }
        }
        bytes.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
        _length += bytes.Length;
    }

    private void CloseFile()
    {
        if (_file is null) return;
        Guard(() => _file.Flush(flushToDisk: true));
        _file.Dispose();
        _file = null;
    }

    /// <summary>
    /// Runs a file operation; when it fails (a full disk, an I/O error) the file is cut back to the events readers have
    /// (none of a half-written event stays) and the writer refuses further events. DM's 30025 naming the file.
    /// </summary>
    private T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Broken(e);
        }
    }

    private void Guard(Action operation) => Guard(() =>
    {
        operation();
        return 0;
    });

    private DmException Broken(Exception e)
    {
        _broken = true;
        _buffered = 0;
        var path = _directory.FilePath(_fileName);
        try
        {
            _file?.SetLength(_published);
        }
        catch (Exception) when (_file is not null)
        {
            // Cannot even cut it: the recovery at the next start cuts the torn tail (the meta is not ahead of the data).
        }
        var full = e is IOException io && (io.HResult & 0xFFFF) == 28; // ENOSPC
        return DmErrors.ErrRelayWriterFileOperate.WithMessage(full
            ? $"no space left on the device of relay log file {path}: relay paused, the file kept at its last whole event ({_published} bytes); it is retried after a backoff, at once with resume-relay, and goes on once there is space"
            : $"cannot write relay log file {path}: {e.Message}", e);
    }
}
