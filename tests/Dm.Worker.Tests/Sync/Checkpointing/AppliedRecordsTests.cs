using Dm.Binlog.Replication;
using Dm.Worker.Sync.Checkpointing;

namespace Dm.Worker.Tests.Sync.Checkpointing;

/// <summary>The applied rows' text, written by writers and DDL and read back by the next run: round trips, consumption, and corrupt rows.</summary>
public sealed class AppliedRecordsTests
{
    private static readonly BinlogPosition First = new("mysql-bin.000007", 1234);
    private static readonly BinlogPosition Second = new("mysql-bin.000008", 4);
    private static readonly BinlogPosition Ddl = new("mysql-bin.000008", 900);

    [Fact]
    public void A_batch_row_names_its_transactions_one_a_line()
    {
        Assert.Equal("mysql-bin.000007:1234\nmysql-bin.000008:4", AppliedRecords.Text([First, Second]));
        var records = new AppliedRecords();
        records.Add(AppliedRecords.Text([First, Second]));
        Assert.Equal(2, records.Count);
        Assert.True(records.TakeTransaction(Second));
        Assert.True(records.TakeTransaction(First));
        Assert.False(records.TakeTransaction(First)); // taken once: a transaction is skipped once
        Assert.Equal(0, records.Count);
    }

    [Theory]
    [InlineData(0, false, "ddl:mysql-bin.000008:900@0")]
    [InlineData(2, true, "ddl:mysql-bin.000008:900@2?")]
    [InlineData(13, false, "ddl:mysql-bin.000008:900@13")]
    public void A_ddl_row_keeps_the_pieces_done_and_whether_the_next_is_in_flight(int done, bool inFlight, string text)
    {
        Assert.Equal(text, AppliedRecords.DdlText(Ddl, done, inFlight));
        var records = new AppliedRecords();
        records.Add(text);
        Assert.Equal(1, records.Count);
        Assert.False(records.TakeTransaction(Ddl)); // a DDL is not a transaction
        Assert.Equal((done, inFlight), records.TakeDdl(Ddl));
        Assert.Null(records.TakeDdl(Ddl));
    }

    [Fact]
    public void Rows_of_several_batches_and_a_ddl_add_up()
    {
        var records = new AppliedRecords();
        records.Add(AppliedRecords.Text([First]));
        records.Add(AppliedRecords.DdlText(Ddl, 1, inFlight: true) + "\n");
        records.Add("\n" + AppliedRecords.Text([Second]) + "\n\n");
        Assert.Equal(3, records.Count);
        Assert.True(records.TakeTransaction(First));
        Assert.True(records.TakeTransaction(Second));
        Assert.Equal((1, true), records.TakeDdl(Ddl));
        Assert.False(records.TakeTransaction(new BinlogPosition("mysql-bin.000009", 4)));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("mysql-bin.000001:")]
    [InlineData("mysql-bin.000001:-5")]
    [InlineData("ddl:mysql-bin.000001:900")]
    [InlineData("ddl:mysql-bin.000001:900@x")]
    [InlineData("ddl:nowhere@1")]
    public void A_line_of_another_shape_is_a_corrupt_checkpoint(string line)
    {
        var records = new AppliedRecords();
        Assert.Throws<InvalidDataException>(() => records.Add(AppliedRecords.Text([First]) + "\n" + line));
    }
}
