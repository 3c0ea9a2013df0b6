using System.Diagnostics;
using System.Globalization;
using Dm.Core.Api;

namespace Dm.Worker.Dump;

/// <summary>Thread-safe dump counters behind <see cref="DumpStatus"/>.</summary>
public sealed class DumpProgress
{
    private long _rows;
    private long _bytes;
    private long _completedTables;
    private readonly Stopwatch _clock = new();
    private long _bytesAtStart;
    private bool _finished;

    public long TotalTables { get; private set; }
    public long EstimatedRows { get; private set; }
    public long FinishedRows => Interlocked.Read(ref _rows);
    public long FinishedBytes => Interlocked.Read(ref _bytes);

    public void Start(long totalTables, long estimatedRows, long alreadyFinishedTables)
    {
        TotalTables = totalTables;
        EstimatedRows = estimatedRows;
        Interlocked.Exchange(ref _completedTables, alreadyFinishedTables);
        _bytesAtStart = FinishedBytes;
        _clock.Restart();
    }

    public void AddRows(long rows, long bytes)
    {
        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void TableCompleted() => Interlocked.Increment(ref _completedTables);

    public void Finish()
    {
        _clock.Stop();
        _finished = true;
    }

    public DumpStatus ToStatus()
    {
        var completed = Interlocked.Read(ref _completedTables);
        var seconds = _clock.Elapsed.TotalSeconds;
        var fraction = TotalTables == 0 ? (_finished ? 1.0 : 0.0) : (double)completed / TotalTables;
        return new DumpStatus
        {
            Bps = seconds > 0 ? (long)((FinishedBytes - _bytesAtStart) / seconds) : 0,
            CompletedTables = completed,
            EstimateTotalRows = EstimatedRows,
            FinishedBytes = FinishedBytes,
            FinishedRows = FinishedRows,
            Progress = (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %",
            TotalTables = TotalTables,
        };
    }
}
