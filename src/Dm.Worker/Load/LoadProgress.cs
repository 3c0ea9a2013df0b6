using System.Diagnostics;
using System.Globalization;
using Dm.Core.Api;

namespace Dm.Worker.Load;

/// <summary>
/// Load counters behind <see cref="LoadStatus"/>. <c>finished_bytes</c> counts committed chunks only, so it never
/// goes backwards when an uncommitted chunk is rolled back by a pause.
/// </summary>
public sealed class LoadProgress
{
    private long _committed;
    private long _pending;
    private long _committedAtStart;
    private readonly Stopwatch _clock = new();
    private bool _finished;

    public long TotalBytes { get; private set; }
    public long FinishedBytes => Interlocked.Read(ref _committed);
    public string MetaBinlog { get; set; } = "";
    public string MetaBinlogGtid { get; set; } = "";

    public void Start(long totalBytes, long alreadyFinishedBytes)
    {
        TotalBytes = totalBytes;
        Interlocked.Exchange(ref _committed, alreadyFinishedBytes);
        Interlocked.Exchange(ref _pending, 0);
        _committedAtStart = alreadyFinishedBytes;
        _clock.Restart();
    }

    /// <summary>In streaming mode the total grows as the dump discovers how big chunks are.</summary>
    public void RaiseTotal(long totalBytes)
    {
        if (totalBytes > TotalBytes) TotalBytes = totalBytes;
    }

    public void AddPending(long bytes) => Interlocked.Add(ref _pending, bytes);

    public void ChunkCommitted(long bytes)
    {
        Interlocked.Add(ref _committed, bytes);
        Interlocked.Add(ref _pending, -bytes);
    }

    public void Finish()
    {
        _clock.Stop();
        TotalBytes = FinishedBytes;
        _finished = true;
    }

    public LoadStatus ToStatus()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var finished = FinishedBytes;
        var total = Math.Max(TotalBytes, finished);
        var fraction = total == 0 ? (_finished ? 1.0 : 0.0) : (double)finished / total;
        return new LoadStatus
        {
            Bps = seconds > 0 ? (long)((finished - _committedAtStart) / seconds) : 0,
            FinishedBytes = finished,
            MetaBinlog = MetaBinlog,
            MetaBinlogGtid = MetaBinlogGtid,
            Progress = (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %",
            TotalBytes = total,
        };
    }
}
