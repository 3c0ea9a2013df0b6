using Dm.Binlog.Replication;
using Dm.Worker.Sync;
using Dm.Worker.Sync.Checkpointing;

namespace Dm.Worker.Tests.Sync.Checkpointing;

/// <summary>
/// The commit watermark as parallel writers move it: transactions numbered in binlog order and committed out of order, ones
/// with nothing to apply, points with no transaction (DDL), and the writer batches a checkpoint write may delete.
/// </summary>
public sealed class CommitWatermarkTests
{
    private static readonly BinlogLocation Start = At(100);

    private static BinlogLocation At(long offset) => new("binlog.000001", offset);

    /// <summary>A transaction ending at <paramref name="end"/>, numbered by the watermark as the run does it.</summary>
    private static SyncTransaction Read(CommitWatermark watermark, long end, uint timestamp = 0)
    {
        var transaction = new SyncTransaction { Id = new BinlogPosition("binlog.000001", end - 50), End = At(end), Timestamp = timestamp };
        transaction.Sequence = watermark.Next(transaction.End, timestamp);
        return transaction;
    }

    [Fact]
    public void Stays_at_the_start_until_a_transaction_commits()
    {
        var watermark = new CommitWatermark(Start);
        Assert.Equal(Start, watermark.Position);
        Assert.Equal(0, watermark.Sequence);
        Assert.Equal(0u, watermark.Timestamp);
        Assert.True(watermark.AllCommitted);
        Read(watermark, 200);
        Assert.Equal(Start, watermark.Position);
        Assert.False(watermark.AllCommitted);
    }

    [Fact]
    public void Moves_only_past_transactions_that_are_committed_with_every_one_before_them()
    {
        var watermark = new CommitWatermark(Start);
        var first = Read(watermark, 200, timestamp: 10);
        var second = Read(watermark, 300, timestamp: 20);
        var third = Read(watermark, 400, timestamp: 30);
        Assert.Equal([1L, 2L, 3L], new[] { first.Sequence, second.Sequence, third.Sequence });

        watermark.Committed([third], batch: 33);
        watermark.Committed([second], batch: 22);
        Assert.Equal(Start, watermark.Position); // the first is still being applied
        Assert.Equal(0, watermark.Sequence);

        watermark.Committed([first], batch: 11);
        Assert.Equal(At(400), watermark.Position);
        Assert.Equal(3, watermark.Sequence);
        Assert.Equal(30u, watermark.Timestamp);
        Assert.True(watermark.AllCommitted);
    }

    [Fact]
    public void A_batch_of_several_transactions_moves_it_past_all_of_them()
    {
        var watermark = new CommitWatermark(Start);
        var batch = new[] { Read(watermark, 200), Read(watermark, 300) };
        var later = Read(watermark, 400);
        watermark.Committed(batch, batch: 1);
        Assert.Equal(At(300), watermark.Position);
        watermark.Committed([later], batch: 2);
        Assert.Equal(At(400), watermark.Position);
    }

    [Fact]
    public void A_transaction_with_nothing_to_apply_is_done_in_its_place_in_binlog_order()
    {
        var watermark = new CommitWatermark(Start);
        var applied = Read(watermark, 200, timestamp: 10);
        var skipped = watermark.Done(At(300), timestamp: 20);
        Assert.Equal(2, skipped);
        Assert.Equal(Start, watermark.Position); // done, but behind one still being applied

        watermark.Committed([applied], batch: 1);
        Assert.Equal(At(300), watermark.Position);
        Assert.Equal(2, watermark.Sequence);
        Assert.Equal(20u, watermark.Timestamp);

        Assert.Equal(3, watermark.Done(At(400), timestamp: 0)); // nothing open: it moves at once
        Assert.Equal(At(400), watermark.Position);
        Assert.Equal(20u, watermark.Timestamp); // a zero timestamp keeps the last one
    }

    [Fact]
    public void Moves_to_a_point_without_a_transaction_only_when_everything_is_committed()
    {
        var watermark = new CommitWatermark(Start);
        var open = Read(watermark, 200, timestamp: 10);
        Assert.Throws<InvalidOperationException>(() => watermark.MoveTo(At(250), timestamp: 15));

        watermark.Committed([open], batch: 1);
        watermark.MoveTo(At(250), timestamp: 15);
        Assert.Equal(At(250), watermark.Position);
        Assert.Equal(15u, watermark.Timestamp);
        watermark.MoveTo(At(260), timestamp: 0);
        Assert.Equal(At(260), watermark.Position);
        Assert.Equal(15u, watermark.Timestamp);
        Assert.Equal(1, watermark.Sequence); // a point is not a transaction
    }

    [Fact]
    public void A_snapshot_hands_over_the_batches_the_watermark_covers_once()
    {
        var watermark = new CommitWatermark(Start);
        var first = Read(watermark, 200);
        var second = Read(watermark, 300);
        watermark.Committed([second], batch: 22);
        watermark.Committed([first], batch: 11);
        var third = Read(watermark, 400);
        var fourth = Read(watermark, 500);
        watermark.Committed([fourth], batch: 44); // not covered: the third is still open

        var (position, covered) = watermark.Snapshot();
        Assert.Equal(At(300), position);
        Assert.Equal([22L, 11L], covered);
        Assert.Empty(watermark.Snapshot().CoveredBatches);

        watermark.Committed([third], batch: 33);
        (position, covered) = watermark.Snapshot();
        Assert.Equal(At(500), position);
        Assert.Equal([44L, 33L], covered);
    }

    [Fact]
    public void Batches_of_a_failed_checkpoint_write_are_handed_over_again()
    {
        var watermark = new CommitWatermark(Start);
        watermark.Committed([Read(watermark, 200)], batch: 1);
        watermark.Committed([Read(watermark, 300)], batch: 2);
        var (_, covered) = watermark.Snapshot();
        Assert.Equal([1L, 2L], covered);

        watermark.Restore(covered); // the write that was to delete their applied rows failed
        var open = Read(watermark, 400);
        Assert.Equal([1L, 2L], watermark.Snapshot().CoveredBatches); // covered already, whatever is open since
        Assert.Empty(watermark.Snapshot().CoveredBatches);
        watermark.Committed([open], batch: 3);
        Assert.Equal([3L], watermark.Snapshot().CoveredBatches);
    }
}
