using System.Runtime.CompilerServices;
using Dm.Binlog.Events;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Worker.Errors;

namespace Dm.Worker.Sync.Reading;

/// <summary>
/// A run's binlog events, read again after a break: a read that fails with an error
/// <see cref="DatabaseErrorPolicy.ForBinlogRead"/> calls transient, or that the upstream ends (it sends EOF when it shuts
/// down: the same as a dropped connection), resumes where the last event ended after a pause of 250 ms per break in a row
/// (at most 10 s). Past <see cref="MaxReconnects"/> breaks in a row, or at once for an error that is not transient, it
/// throws <see cref="BinlogReadException"/> with the error's kind. Every event read resets the count.
/// </summary>
internal sealed class BinlogStream(IBinlogEventSource source, string task, ILogger logger, TimeProvider time)
{
    /// <summary>Breaks in a row (without an event read in between) after which reading gives up.</summary>
    public const int MaxReconnects = 10;

    /// <summary>Where <paramref name="ev"/> ends, with (a copy of) the GTIDs executed up to there (for checkpoints).</summary>
    public BinlogLocation LocationAfter(BinlogEvent ev) => new(ev.ResumePosition, source.ExecutedGtid?.Clone());

    /// <summary>The pause before reading again after <paramref name="failures"/> breaks in a row.</summary>
    public static TimeSpan Backoff(int failures) => TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * failures));

    /// <summary>The events, across reconnects, until cancelled or given up.</summary>
    public async IAsyncEnumerable<BinlogEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            var events = source.ReadEventsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await events.MoveNextAsync();
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
                    {
                        var (error, kind) = DatabaseErrorPolicy.ForBinlogRead(e);
                        if (kind != ErrorKind.Transient || ++failures > MaxReconnects) throw new BinlogReadException(error, kind);
                        logger.LogWarning("binlog stream of {Task} broke ({Error}); reconnecting at {Position}", task, e.Message, source.Position);
                        await Task.Delay(Backoff(failures), time, cancellationToken);
                        break;
                    }
                    if (!more)
                    {
                        if (++failures > MaxReconnects)
                            throw new BinlogReadException(DmErrors.ErrSyncerGetEvent.WithMessage("the upstream keeps ending the binlog stream"), ErrorKind.Transient);
                        logger.LogWarning("binlog stream of {Task} ended by the upstream; reconnecting at {Position}", task, source.Position);
                        await Task.Delay(Backoff(failures), time, cancellationToken);
                        break;
                    }
                    failures = 0;
                    yield return events.Current;
                }
            }
            finally
            {
                try { await events.DisposeAsync(); } catch (Exception) when (!cancellationToken.IsCancellationRequested) { }
            }
        }
    }
}
