using Dm.Core.Api;
using Dm.Binlog.Replication;

namespace Dm.Worker.Sync;

/// <summary>
/// What DM shows as <c>sync_status</c>. Lag is measured against the upstream's clock (its offset from ours is
/// sampled with the master position), so a skewed worker clock does not distort it.
/// </summary>
internal sealed class SyncProgress
{
    private readonly object _gate = new();
    private readonly DateTime _started = DateTime.UtcNow;
    private long _events;
    private long _transactions;
    private (DateTime At, long Transactions) _recentMark = (DateTime.UtcNow, 0);
    private long _recentTps;
    private BinlogLocation? _master;
    private BinlogLocation? _synced;
    private uint _syncedTimestamp;
    private TimeSpan _clockOffset;
    private bool _caughtUp;

    /// <summary>DM's binlog_type: remote while reading the upstream, local while reading the worker's relay log.</summary>
    public string BinlogType { get; set; } = "remote";

    public void Event() => Interlocked.Increment(ref _events);

    public void Transaction() => Interlocked.Increment(ref _transactions);

    public void Master(BinlogLocation position, TimeSpan upstreamClockOffset)
    {
        lock (_gate) (_master, _clockOffset) = (position, upstreamClockOffset);
    }

    /// <summary>The applied watermark; <paramref name="caughtUp"/> when nothing read is left unapplied.</summary>
    public void Synced(BinlogLocation position, uint timestamp, bool caughtUp)
    {
        lock (_gate)
        {
            _synced = position;
            if (timestamp != 0) _syncedTimestamp = timestamp;
            _caughtUp = caughtUp;
        }
    }

    public SyncStatus ToStatus()
    {
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            var transactions = Interlocked.Read(ref _transactions);
            if (now - _recentMark.At >= TimeSpan.FromSeconds(10))
            {
                _recentTps = (long)((transactions - _recentMark.Transactions) / (now - _recentMark.At).TotalSeconds);
                _recentMark = (now, transactions);
            }
            var synced = _master is not null && _synced is not null && _caughtUp &&
                         _master.FileName == Reading.BinlogSourceChoice.UpstreamForm(_synced.Position).FileName && _master.Offset <= _synced.Offset;
            var behind = synced || _syncedTimestamp == 0 ? 0
                : Math.Max(0, (long)((now + _clockOffset) - DateTimeOffset.FromUnixTimeSeconds(_syncedTimestamp).UtcDateTime).TotalSeconds);
            return new SyncStatus
            {
                TotalEvents = Interlocked.Read(ref _events),
                TotalTps = (long)(transactions / Math.Max(1, (now - _started).TotalSeconds)),
                RecentTps = _recentTps,
                MasterBinlog = _master?.Position.ToDmString() ?? "",
                MasterBinlogGtid = _master?.GtidText ?? "",
                SyncerBinlog = _synced?.Position.ToDmString() ?? "",
                SyncerBinlogGtid = _synced?.GtidText ?? "",
                BlockingDdls = [],
                UnresolvedGroups = [],
                Synced = synced,
                BinlogType = BinlogType,
                SecondsBehindMaster = behind,
                IoTotalBytes = 0,
                DumpIoTotalBytes = 0,
            };
        }
    }
}
