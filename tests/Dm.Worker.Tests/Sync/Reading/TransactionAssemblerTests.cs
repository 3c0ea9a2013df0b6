using Dm.Binlog.Events;
using Dm.Binlog.Replication;
using Dm.Worker.Sync.Checkpointing;
using Dm.Worker.Sync.Reading;

namespace Dm.Worker.Tests.Sync.Reading;

/// <summary>
/// Which binlog event opens, ends or is ignored inside an upstream transaction, which is a statement of its own, and the
/// transaction the assembler holds meanwhile (named by the position after its opening event, skipped when already applied).
/// </summary>
public sealed class TransactionAssemblerTests
{
    private static readonly TableEvents Items = new(TableEvents.Track("src", "CREATE TABLE items (id INT NOT NULL, PRIMARY KEY (id))"));

    private static QueryEvent Query(string sql) => new() { Query = sql, DefaultDatabase = "src" };

    private static BinlogPosition At(long offset) => new("binlog.000001", offset);

    [Theory]
    [InlineData("BEGIN", false, nameof(TransactionEvent.Begins))]
    [InlineData("  begin ", false, nameof(TransactionEvent.Begins))]
    [InlineData("XA START X'31',X'',1", false, nameof(TransactionEvent.Begins))]
    [InlineData("COMMIT", true, nameof(TransactionEvent.Ends))]
    [InlineData("ROLLBACK", true, nameof(TransactionEvent.Ends))]
    [InlineData("XA END X'31',X'',1", true, nameof(TransactionEvent.Ends))]
    [InlineData("XA COMMIT X'31',X'',1", true, nameof(TransactionEvent.Ends))]
    [InlineData("COMMIT", false, nameof(TransactionEvent.Ends))]
    [InlineData("SAVEPOINT `sp1`", true, nameof(TransactionEvent.Ignored))]
    [InlineData("ROLLBACK TO `sp1`", true, nameof(TransactionEvent.Ignored))]
    [InlineData("XA PREPARE X'31',X'',1", true, nameof(TransactionEvent.Ignored))]
    [InlineData("SAVEPOINT `sp1`", false, nameof(TransactionEvent.Statement))]
    [InlineData("ROLLBACK TO `sp1`", false, nameof(TransactionEvent.Statement))]
    [InlineData("CREATE TABLE t (id INT)", false, nameof(TransactionEvent.Statement))]
    [InlineData("ALTER TABLE t ADD COLUMN c INT", true, nameof(TransactionEvent.Statement))]
    [InlineData("BEGINNING", false, nameof(TransactionEvent.Statement))]
    public void A_query_event_is_classified_by_its_text(string sql, bool inTransaction, string expected)
    {
        Assert.Equal(Enum.Parse<TransactionEvent>(expected), TransactionAssembler.Classify(Query(sql), inTransaction));
    }

    [Fact]
    public void Other_events_are_classified_by_their_type()
    {
        Assert.Equal(TransactionEvent.Opens, TransactionAssembler.Classify(new MariaDbGtidEvent(), inTransaction: true));
        Assert.Equal(TransactionEvent.Opens, TransactionAssembler.Classify(new MySqlGtidEvent(), inTransaction: false));
        Assert.Equal(TransactionEvent.Rows, TransactionAssembler.Classify(Items.Insert([1]), inTransaction: false));
        Assert.Equal(TransactionEvent.Ends, TransactionAssembler.Classify(new XidEvent { Xid = 7 }, inTransaction: true));
        Assert.Equal(TransactionEvent.Heartbeat, TransactionAssembler.Classify(new HeartbeatEvent(), inTransaction: false));
        Assert.Equal(TransactionEvent.None, TransactionAssembler.Classify(new RotateEvent(), inTransaction: false));
    }

    [Fact]
    public void A_gtid_event_opens_a_transaction_that_begin_does_not_open_again_and_xid_ends()
    {
        var assembler = new TransactionAssembler(new AppliedRecords());
        Assert.Null(assembler.Current);
        Assert.Equal(TransactionEvent.Opens, assembler.Accept(TableEvents.At(new MariaDbGtidEvent(), At(200))));
        var opened = assembler.Current;
        Assert.NotNull(opened);
        Assert.Equal(At(200), opened.Id);
        Assert.False(opened.Skip);

        Assert.Equal(TransactionEvent.Begins, assembler.Accept(TableEvents.At(Query("BEGIN"), At(250))));
        Assert.Same(opened, assembler.Current); // still named by the GTID event
        Assert.Equal(TransactionEvent.Rows, assembler.Accept(Items.Insert([1])));
        Assert.Same(opened, assembler.OpenForRows(Items.Insert([2])));
        Assert.Equal(TransactionEvent.Ignored, assembler.Accept(Query("SAVEPOINT a")));
        Assert.Same(opened, assembler.Current);

        Assert.Equal(TransactionEvent.Ends, assembler.Accept(new XidEvent()));
        Assert.Same(opened, assembler.Close());
        Assert.Null(assembler.Current);
        Assert.Null(assembler.Close());
    }

    [Fact]
    public void Begin_opens_a_transaction_when_no_gtid_event_did()
    {
        var assembler = new TransactionAssembler(new AppliedRecords());
        Assert.Equal(TransactionEvent.Begins, assembler.Accept(TableEvents.At(Query("BEGIN"), At(300))));
        Assert.Equal(At(300), assembler.Current!.Id);
        Assert.Equal(TransactionEvent.Ends, assembler.Accept(Query("COMMIT")));
        Assert.Equal(At(300), assembler.Close()!.Id);
    }

    [Fact]
    public void Begin_and_a_mariadb_gtid_without_the_standalone_flag_group_a_transaction_a_standalone_gtid_does_not()
    {
        var assembler = new TransactionAssembler(new AppliedRecords());
        assembler.Accept(TableEvents.At(new MariaDbGtidEvent { Flags = MariaDbGtidEvent.FlagStandalone }, At(100)));
        Assert.False(assembler.Current!.Grouped); // a DDL's: the statement ends it
        assembler.Accept(TableEvents.At(new MariaDbGtidEvent { Flags = MariaDbGtidEvent.FlagTransactional }, At(200)));
        Assert.True(assembler.Current!.Grouped);
        assembler.Accept(TableEvents.At(new MySqlGtidEvent(), At(300)));
        Assert.False(assembler.Current!.Grouped);
        assembler.Accept(TableEvents.At(Query("BEGIN"), At(350)));
        Assert.True(assembler.Current!.Grouped);
    }

    [Fact]
    public void A_gtid_event_replaces_a_transaction_left_open()
    {
        var assembler = new TransactionAssembler(new AppliedRecords());
        assembler.Accept(TableEvents.At(Query("BEGIN"), At(300)));
        assembler.Accept(TableEvents.At(new MariaDbGtidEvent(), At(400)));
        Assert.Equal(At(400), assembler.Current!.Id);
    }

    [Fact]
    public void Rows_outside_a_transaction_open_one_named_by_the_rows_event()
    {
        var assembler = new TransactionAssembler(new AppliedRecords());
        Assert.Equal(TransactionEvent.Rows, assembler.Accept(Items.Insert([1])));
        Assert.Null(assembler.Current); // the run opens it only for rows it applies
        var opened = assembler.OpenForRows(TableEvents.At(Items.Insert([1]), At(500)));
        Assert.Equal(At(500), opened.Id);
        Assert.Same(opened, assembler.Current);
    }

    [Fact]
    public void A_statement_leaves_the_open_transaction_for_the_run_to_close()
    {
        var assembler = new TransactionAssembler(new AppliedRecords());
        assembler.Accept(TableEvents.At(new MariaDbGtidEvent(), At(600)));
        Assert.Equal(TransactionEvent.Statement, assembler.Accept(Query("CREATE TABLE t (id INT)")));
        Assert.NotNull(assembler.Current); // the DDL's own GTID group, until the run has applied the statement
        assembler.Close();
        Assert.Null(assembler.Current);
    }

    [Fact]
    public void A_transaction_an_applied_row_names_is_skipped_once()
    {
        var applied = new AppliedRecords();
        applied.Add(AppliedRecords.Text([At(700)]));
        var assembler = new TransactionAssembler(applied);
        assembler.Accept(TableEvents.At(new MariaDbGtidEvent(), At(700)));
        Assert.True(assembler.Current!.Skip);
        assembler.Close();
        assembler.Accept(TableEvents.At(new MariaDbGtidEvent(), At(700))); // the record was consumed
        Assert.False(assembler.Current!.Skip);
        assembler.Close();
        assembler.Accept(TableEvents.At(new MariaDbGtidEvent(), At(800)));
        Assert.False(assembler.Current!.Skip);
    }
}
