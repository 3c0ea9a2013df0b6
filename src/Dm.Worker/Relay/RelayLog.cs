using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Errors;

namespace Dm.Worker.Relay;

/// <summary>
/// A source's relay log as the processes of this worker share it: the files on disk (<see cref="RelayDirectory"/>), how
/// far the writer has put whole events into its current file (<see cref="Active"/>: readers never read beyond it, so a
/// half-written event is never served), the signal readers wait on instead of polling, and the positions of the readers
/// (which purge keeps). One per relay directory, kept across restarts of the relay unit.
/// </summary>
internal sealed class RelayLog
{
    private readonly object _readersGate = new();
    private readonly Dictionary<object, (string Who, Func<BinlogPosition> Position)> _readers = new();
    private TaskCompletionSource _changed = NewSignal();
    private long _version;
    private volatile RelayActiveFile? _active;
    private volatile bool _ready;

    public RelayLog(RelayDirectory directory, GtidFlavor flavor)
    {
        Directory = directory;
        Flavor = flavor;
    }

    public RelayDirectory Directory { get; }

    /// <summary>The flavor of the upstream's GTIDs.</summary>
    public GtidFlavor Flavor { get; }

    /// <summary>Taken by the writer while it changes which files exist, and by purge while it removes files.</summary>
    public SemaphoreSlim FilesGate { get; } = new(1, 1);

    /// <summary>The file the writer appends to and its length in whole events; null while the relay holds no file.</summary>
    public RelayActiveFile? Active => _active;

    /// <summary>Whether the files were recovered since the process started (a torn tail cut): readers wait until then.</summary>
    public bool Ready => _ready;

    /// <summary>Counts changes; a reader that saw one value waits with <see cref="WaitAsync"/> for the next.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The writer has whole events up to <paramref name="length"/> in <paramref name="file"/> of <paramref name="subDirectory"/>.</summary>
    public void Publish(RelaySubDirectory subDirectory, string file, long length)
    {
        var active = _active;
        if (active is null || active.Length != length || active.File != file || active.SubDirectory != subDirectory)
            _active = new RelayActiveFile(subDirectory, file, length);
        _ready = true;
        Signal();
    }

    /// <summary>Recovery found nothing to serve yet (an empty relay): readers may look, and will wait.</summary>
    public void MarkReady()
    {
        _ready = true;
        Signal();
    }

    /// <summary>Wakes the readers waiting (something else changed: a unit stopped, files were purged).</summary>
    public void Signal()
    {
        Interlocked.Increment(ref _version);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    /// <summary>Returns once <see cref="Version"/> differs from <paramref name="seen"/>.</summary>
    public Task WaitAsync(long seen, CancellationToken cancellationToken)
    {
        var changed = Volatile.Read(ref _changed).Task;
        return Version != seen ? Task.CompletedTask : changed.WaitAsync(cancellationToken);
    }

    /// <summary>Returns once the files were recovered and the relay has a sub-directory (it has started pulling).</summary>
    public async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var seen = Version;
            if (Ready && Directory.Current is not null) return;
            await WaitAsync(seen, cancellationToken);
        }
    }

    /// <summary>Registers a reader whose <paramref name="position"/> purge must keep; dispose to unregister.</summary>
    public IDisposable AddReader(string who, Func<BinlogPosition> position)
    {
        var key = new object();
        lock (_readersGate) _readers[key] = (who, position);
        return new Registration(() =>
        {
            lock (_readersGate) _readers.Remove(key);
        });
    }

    /// <summary>Where each registered reader is (DM's relay form).</summary>
    public IReadOnlyList<(string Who, BinlogPosition Position)> Readers()
    {
        lock (_readersGate) return _readers.Values.Select(r => (r.Who, r.Position())).ToList();
    }

    /// <summary>
    /// A position of the upstream's binlog (<c>mysql-bin.000003:1234</c>) in DM's relay form: in the newest sub-directory that
    /// holds that file, or in the newest one when the relay has not reached the file yet. A position already in relay form is
    /// kept while its sub-directory exists (one written by a relay log since removed is placed again by its upstream name).
    /// DM's 11036 when the relay holds only later files (the file was purged, or the relay started after it).
    /// </summary>
    public BinlogPosition ToRelayForm(BinlogPosition position)
    {
        var name = BinlogFileName.Parse(position.FileName);
        if (name.RelaySuffix is { } suffix)
        {
            if (Directory.WithSuffix(suffix) is not null) return position;
            position = position with { FileName = name.UpstreamName };
            name = BinlogFileName.Parse(name.UpstreamName);
        }
        var subDirectories = Directory.SubDirectories;
        for (var i = subDirectories.Count - 1; i >= 0; i--)
        {
            var files = subDirectories[i].BinlogFiles();
            if (files.Contains(position.FileName, StringComparer.Ordinal)) return position with { FileName = subDirectories[i].RelayName(position.FileName) };
            if (i == subDirectories.Count - 1 && (files.Count == 0 || BinlogFileName.Parse(files[^1]).CompareTo(name) < 0))
                return position with { FileName = subDirectories[i].RelayName(position.FileName) };
        }
        if (subDirectories.Count == 0) throw DmErrors.ErrRelayNoValidRelaySubDir.New(Directory.BasePath);
        throw DmErrors.ErrNoRelayLogMatchPos.New(Directory.BasePath, position.ToString());
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Registration(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}

/// <summary>The file a relay writer appends to, and how many of its bytes are whole events.</summary>
internal sealed record RelayActiveFile(RelaySubDirectory SubDirectory, string File, long Length)
{
    /// <summary>The file in DM's relay form.</summary>
    public string RelayName => SubDirectory.RelayName(File);

    /// <summary>Whether <paramref name="subDirectory"/>'s <paramref name="file"/> is this one.</summary>
    public bool Is(RelaySubDirectory subDirectory, string file) => SubDirectory.Suffix == subDirectory.Suffix && File == file;
}
