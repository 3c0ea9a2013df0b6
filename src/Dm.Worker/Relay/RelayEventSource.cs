using System.Runtime.CompilerServices;
using Dm.Binlog.Events;
using Dm.Binlog.Files;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Worker.Sync.Reading;

namespace Dm.Worker.Relay;

/// <summary>
/// Reads a source's relay log as <see cref="BinlogClient"/> reads the source: the events from a position on, each with its
/// <see cref="BinlogEvent.ResumePosition"/> in DM's relay form (<c>mysql-bin|000001.000003:1234</c>), the GTIDs executed up
/// to the last whole transaction, through every file of a sub-directory and on into the next sub-directory. At the end of
/// what the relay has written it waits for the writer's signal (<see cref="RelayLog.WaitAsync"/>), never polling. After a
/// sub-directory change (the upstream server changed) and for a start by GTID set alone, transactions whose GTID is
/// already executed are passed over, as a source does for a GTID dump.
/// </summary>
internal sealed class RelayEventSource : IBinlogEventSource, IDisposable
{
    private readonly RelayLog _log;
    private readonly BinlogEventDecoder _decoder = new();
    private readonly TransactionTracker _tracker;
    private readonly IDisposable _registration;
    private BinlogFileFollower? _follower;
    private RelaySubDirectory? _followed;
    private BinlogPosition _position;
    // What purge sees of this reader: its position when it last started a read (older than now: it keeps more).
    private volatile StrongBox<BinlogPosition> _shown;
    private bool _skipExecuted;
    private TransactionTracker? _skipping;

    /// <param name="log">The relay log read.</param>
    /// <param name="start">Where to start, in DM's relay form (<see cref="RelayLog.ToRelayForm"/>); null for a start by GTID set alone.</param>
    /// <param name="startGtid">With a start position, the GTIDs executed before it; without, the GTIDs not to read again.</param>
    /// <param name="reader">Who reads, as purge names it when it keeps a file for this reader.</param>
    public RelayEventSource(RelayLog log, BinlogPosition? start, Dm.Binlog.Gtid.GtidSet? startGtid, string reader)
    {
        _log = log;
        _tracker = new TransactionTracker(startGtid);
        if (start is { } position)
        {
            _position = position;
        }
        else
        {
            // A GTID set alone: from the oldest file on, passing over what the set holds.
            if (startGtid is null) throw new ArgumentException("a relay reader needs a start position or a GTID set");
            var oldest = log.Directory.SubDirectories.FirstOrDefault(s => s.BinlogFiles().Count > 0)
                         ?? throw DmErrors.ErrNoRelayPosMatchGTID.New(startGtid.ToString());
            _position = new BinlogPosition(oldest.RelayName(oldest.BinlogFiles()[0]), 4);
            _skipExecuted = true;
        }
        _shown = new StrongBox<BinlogPosition>(_position);
        _registration = log.AddReader(reader, () => _shown.Value);
    }

    /// <inheritdoc />
    public BinlogPosition Position => _position;

    /// <inheritdoc />
    public Dm.Binlog.Gtid.GtidSet? ExecutedGtid => _tracker.Executed;

    public async IAsyncEnumerable<BinlogEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_shown.Value != _position) _shown = new StrongBox<BinlogPosition>(_position);
            var seen = _log.Version;
            if (!_log.Ready || !Open())
            {
                await _log.WaitAsync(seen, cancellationToken);
                continue;
            }
            var follower = _follower!;
            var active = _log.Active;
            var growing = active is not null && active.Is(_followed!, FileOf(follower));
            var end = growing ? active!.Length : follower.Length;
            var any = false;
            foreach (var ev in follower.ReadTo(end, cancellationToken))
            {
                any = true;
                if (Skip(ev))
                {
                    Move(ev.ResumePosition);
                    continue;
                }
                _tracker.Observe(ev);
                Move(ev.ResumePosition);
                yield return ev;
            }
            if (any) continue;
            if (!growing && Position.FileName == follower.FileName && NextFile() is { } next)
            {
                // The file is whole and read to its end (no ROTATE at its end: the upstream stopped): on to the next one.
                Move(next);
                continue;
            }
            if (Position.FileName != follower.FileName) continue; // a ROTATE moved on: the next file opens above
            await _log.WaitAsync(seen, cancellationToken);
        }
    }

    public void Dispose()
    {
        _follower?.Dispose();
        _registration.Dispose();
    }

    /// <summary>
    /// The follower of the file at <see cref="Position"/> (opened when the position moved to another file); false when that
    /// file is not there yet. DM's 11036 when it never will be (the relay holds only later files).
    /// </summary>
    private bool Open()
    {
        var position = Position;
        if (_follower is not null && _follower.FileName == position.FileName) return true;
        var name = BinlogFileName.Parse(position.FileName);
        var subDirectory = name.RelaySuffix is { } suffix ? _log.Directory.WithSuffix(suffix) : null;
        var path = subDirectory?.FilePath(name.UpstreamName);
        if (path is null || !File.Exists(path))
        {
            if (NotYetWritten(name)) return false;
            throw DmErrors.ErrNoRelayLogMatchPos.New(_log.Directory.BasePath, position.ToString());
        }
        var crossed = _followed is not null && _followed.Suffix != subDirectory!.Suffix;
        _follower?.Dispose();
        _follower = null;
        // Table ids are only valid inside one file.
        _decoder.ForgetTables();
        _follower = new BinlogFileFollower(path, _decoder, position.Position, position.FileName);
        _followed = subDirectory;
        // Another upstream server's files start from their beginning: what was executed already comes again.
        if (crossed) _skipExecuted = true;
        return true;
    }

    /// <summary>Whether a file the reader wants is later than what the writer has (it will come) rather than gone.</summary>
    private bool NotYetWritten(BinlogFileName wanted)
    {
        var active = _log.Active;
        if (active is null) return true;
        return wanted.CompareTo(BinlogFileName.Parse(active.RelayName)) > 0;
    }

    /// <summary>The first file after the followed one: later in its sub-directory, else the first of the next sub-directory; null when none is there yet.</summary>
    private BinlogPosition? NextFile()
    {
        var current = BinlogFileName.Parse(BinlogFileName.Parse(_follower!.FileName).UpstreamName);
        var later = _followed!.BinlogFiles().Select(BinlogFileName.Parse).Where(f => f.CompareTo(current) > 0).Order().FirstOrDefault();
        if (later.Name is not null) return new BinlogPosition(_followed.RelayName(later.Name), 4);
        var next = _log.Directory.SubDirectories.FirstOrDefault(s => s.Suffix > _followed.Suffix);
        var files = next?.BinlogFiles();
        return files is { Count: > 0 } ? new BinlogPosition(next!.RelayName(files[0]), 4) : null;
    }

    /// <summary>
    /// While passing over executed transactions: whether <paramref name="ev"/> belongs to a transaction whose GTID the
    /// executed set already holds (its events are read, not yielded, and do not count).
    /// </summary>
    private bool Skip(BinlogEvent ev)
    {
        if (_skipping is not null)
        {
            _skipping.Observe(ev);
            if (!_skipping.InGroup) _skipping = null;
            return true;
        }
        if (!_skipExecuted || !Executed(ev)) return false;
        _skipping = new TransactionTracker(null);
        _skipping.Observe(ev);
        return true;
    }

    private bool Executed(BinlogEvent ev) => (ev, _tracker.Executed) switch
    {
        (MariaDbGtidEvent g, Dm.Binlog.Gtid.MariaDbGtidList list) => list.Contains(g.Gtid),
        (MySqlGtidEvent { IsAnonymous: false } g, Dm.Binlog.Gtid.MySqlGtidSet set) => set.Contains(g.SourceId, g.TransactionNumber),
        _ => false,
    };

    private void Move(BinlogPosition position) => _position = position;

    private static string FileOf(BinlogFileFollower follower) => BinlogFileName.Parse(follower.FileName).UpstreamName;
}
