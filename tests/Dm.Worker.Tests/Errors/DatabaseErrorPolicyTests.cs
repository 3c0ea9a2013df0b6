using System.Net.Sockets;
using Dm.Binlog.Protocol;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Errors;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Tests.Errors;

/// <summary>
/// The worker's error policy on failures built as the driver and the binlog client build them (against
/// <see cref="FakeMySqlServer"/>, no database): server errors by code, as MySqlConnector and the binlog protocol report
/// them, lost connections in their several shapes, DM's own errors, and the DM error a failed unit reports.
/// </summary>
public sealed class DatabaseErrorPolicyTests
{
    private const MySqlErrorCode ConnectionKilled = (MySqlErrorCode)1927;
    private const MySqlErrorCode CheckConstraintFailed = (MySqlErrorCode)4025;
    private const MySqlErrorCode DuplicateConstraintName = (MySqlErrorCode)1826;

    public static TheoryData<MySqlErrorCode, ErrorKind> ServerErrors()
    {
        var cases = new TheoryData<MySqlErrorCode, ErrorKind>();
        void Add(ErrorKind kind, params MySqlErrorCode[] codes)
        {
            foreach (var code in codes) cases.Add(code, kind);
        }
        // Deadlock, lock wait, a shutdown, KILL CONNECTION, no free connection, --read-only during a failover, KILL QUERY.
        Add(ErrorKind.Transient, MySqlErrorCode.LockDeadlock, MySqlErrorCode.LockWaitTimeout, MySqlErrorCode.ServerShutdown, ConnectionKilled,
            MySqlErrorCode.ConnectionCountError, MySqlErrorCode.OptionPreventsStatement, MySqlErrorCode.CannotExecuteInReadOnlyTransaction,
            MySqlErrorCode.QueryInterrupted);
        // Privileges, syntax, unknown objects, a table that exists (outside a replayed DDL), data, a purged binlog.
        Add(ErrorKind.NeedsUser, MySqlErrorCode.AccessDenied, MySqlErrorCode.DatabaseAccessDenied, MySqlErrorCode.TableAccessDenied,
            MySqlErrorCode.SpecifiedAccessDeniedError, MySqlErrorCode.ParseError, MySqlErrorCode.NoSuchTable, MySqlErrorCode.UnknownDatabase,
            MySqlErrorCode.TableExists, MySqlErrorCode.DuplicateKeyEntry, MySqlErrorCode.DataTooLong, MySqlErrorCode.TruncatedWrongValueForField,
            CheckConstraintFailed, MySqlErrorCode.PacketTooLarge, MySqlErrorCode.MasterFatalErrorReadingBinLog);
        Add(ErrorKind.Fatal, MySqlErrorCode.UnknownError, MySqlErrorCode.GetErrorNumber, MySqlErrorCode.RowIsReferenced2);
        return cases;
    }

    [Theory]
    [MemberData(nameof(ServerErrors))]
    public async Task A_server_error_has_the_same_kind_from_the_driver_from_a_statement_and_from_the_binlog_protocol(MySqlErrorCode code, ErrorKind kind)
    {
        var driver = await FakeMySqlServer.ServerErrorAsync(code);
        Assert.Equal(code, driver.ErrorCode);
        Assert.Equal(kind, DatabaseErrorPolicy.Classify(driver));
        Assert.Equal(kind, DatabaseErrorPolicy.Classify(new DataStatementException("INSERT INTO t VALUES (1)", driver)));
        Assert.Equal(kind, DatabaseErrorPolicy.Classify(new ServerErrorException((int)code, "HY000", "from the binlog connection")));
        Assert.Equal(kind, DatabaseErrorPolicy.Classify(code));
    }

    [Theory]
    [InlineData(MySqlErrorCode.DatabaseCreateExists)]
    [InlineData(MySqlErrorCode.DatabaseDropExists)]
    [InlineData(MySqlErrorCode.TableExists)]
    [InlineData(MySqlErrorCode.BadTable)]
    [InlineData(MySqlErrorCode.BadFieldError)]
    [InlineData(MySqlErrorCode.DuplicateFieldName)]
    [InlineData(MySqlErrorCode.DuplicateKeyName)]
    [InlineData(MySqlErrorCode.MultiplePrimaryKey)]
    [InlineData(MySqlErrorCode.CannotDropFieldOrKey)]
    [InlineData(MySqlErrorCode.NoSuchTable)]
    [InlineData(DuplicateConstraintName)]
    public async Task A_ddl_that_finds_its_change_made_is_already_applied_and_needs_the_user_elsewhere(MySqlErrorCode code)
    {
        var failed = new DataStatementException("ALTER TABLE t ADD COLUMN c INT", await FakeMySqlServer.ServerErrorAsync(code));
        Assert.Equal(ErrorKind.AlreadyApplied, DatabaseErrorPolicy.ClassifyDdl(failed));
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.Classify(failed));
    }

    [Theory]
    [InlineData(MySqlErrorCode.LockDeadlock, ErrorKind.Transient)]
    [InlineData(MySqlErrorCode.ParseError, ErrorKind.NeedsUser)]
    [InlineData(MySqlErrorCode.UnknownDatabase, ErrorKind.NeedsUser)] // creating a table in a missing database is not "done"
    [InlineData(MySqlErrorCode.UnknownError, ErrorKind.Fatal)]
    public async Task Other_ddl_errors_keep_their_kind(MySqlErrorCode code, ErrorKind kind) =>
        Assert.Equal(kind, DatabaseErrorPolicy.ClassifyDdl(new DataStatementException("CREATE TABLE d.t (id INT)", await FakeMySqlServer.ServerErrorAsync(code))));

    [Fact]
    public async Task A_connection_cut_mid_result_is_a_lost_connection_dm_reports_as_bad_connection()
    {
        var cut = await FakeMySqlServer.CutMidResultAsync();
        // MySqlConnector: "Failed to read the result set" over its own end-of-stream exception.
        Assert.IsAssignableFrom<EndOfStreamException>(cut.InnerException);
        Assert.True(DatabaseErrorPolicy.IsConnectionLost(cut));
        Assert.Equal(ErrorKind.Transient, DatabaseErrorPolicy.Classify(cut));

        var (error, kind) = DatabaseErrorPolicy.ForUnit(new DataStatementException("SELECT * FROM t", cut), DmErrors.ErrSyncerEvent);
        Assert.Equal(DmErrors.ErrDBBadConn.Code, error.Code);
        Assert.Equal(ErrorKind.Transient, kind);
        Assert.Equal(DmErrors.ErrDBBadConn.Code, DatabaseErrorPolicy.ForUnit(cut, DmErrors.ErrDumpUnitRuntime).Error.Code);
    }

    [Fact]
    public async Task A_server_that_closes_at_once_is_unreachable_to_the_driver_and_a_lost_connection_to_the_binlog_client()
    {
        await using var server = FakeMySqlServer.Closing();
        await using var connection = new MySqlConnection(server.ConnectionString);
        var driver = await Assert.ThrowsAsync<MySqlException>(() => connection.OpenAsync());
        Assert.Equal(ErrorKind.Transient, DatabaseErrorPolicy.Classify(driver));

        var binlog = await ReadBinlogAsync(server.Port);
        Assert.IsType<EndOfStreamException>(binlog);
        Assert.True(DatabaseErrorPolicy.IsConnectionLost(binlog));
        var (error, kind) = DatabaseErrorPolicy.ForBinlogRead(binlog);
        Assert.Equal(ErrorKind.Transient, kind);
        Assert.Equal(DmErrors.ErrSyncerGetEvent.Code, error.Code);
    }

    [Fact]
    public async Task A_binlog_connect_that_times_out_is_a_lost_connection()
    {
        await using var silent = FakeMySqlServer.Silent();
        var timeout = await ReadBinlogAsync(silent.Port, TimeSpan.FromMilliseconds(200));
        Assert.IsType<TimeoutException>(timeout);
        Assert.Equal(ErrorKind.Transient, DatabaseErrorPolicy.ForBinlogRead(timeout).Kind);
    }

    [Fact]
    public async Task A_server_out_of_connections_refuses_the_binlog_client_with_a_transient_server_error()
    {
        await using var server = FakeMySqlServer.RefusingWith(MySqlErrorCode.ConnectionCountError);
        var refused = Assert.IsType<ServerErrorException>(await ReadBinlogAsync(server.Port));
        Assert.Equal((int)MySqlErrorCode.ConnectionCountError, refused.ErrorCode);
        Assert.Equal(ErrorKind.Transient, DatabaseErrorPolicy.ForBinlogRead(refused).Kind);
    }

    [Fact]
    public void A_purged_binlog_needs_the_user_and_says_so()
    {
        var purged = new ServerErrorException((int)MySqlErrorCode.MasterFatalErrorReadingBinLog, "HY000",
            "Could not find first log file name in binary log index file");
        var (error, kind) = DatabaseErrorPolicy.ForBinlogRead(purged);
        Assert.Equal(ErrorKind.NeedsUser, kind);
        Assert.Equal(DmErrors.ErrSyncerGetEvent.Code, error.Code);
        Assert.Contains("purged", error.Message);
        Assert.Contains("Could not find first log file", error.Message);
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.ForBinlogRead(new ServerErrorException(1045, "28000", "Access denied")).Kind);
        Assert.Equal(ErrorKind.Fatal, DatabaseErrorPolicy.ForBinlogRead(new Dm.Binlog.BinlogFormatException("rows event claims 5000 columns")).Kind);
    }

    [Fact]
    public void Socket_errors_are_lost_connections_wherever_they_sit()
    {
        var refused = new SocketException((int)SocketError.ConnectionRefused);
        Assert.True(DatabaseErrorPolicy.IsConnectionLost(refused));
        Assert.True(DatabaseErrorPolicy.IsConnectionLost(new IOException("Unable to write data to the transport connection", refused)));
        Assert.True(DatabaseErrorPolicy.IsConnectionLost(new InvalidOperationException("wrapped", new IOException("reset", refused))));
        Assert.True(DatabaseErrorPolicy.IsConnectionLost(new AggregateException(new InvalidOperationException("other"), refused)));
        Assert.Equal(ErrorKind.Transient, DatabaseErrorPolicy.Classify(new IOException("Broken pipe", refused)));
    }

    [Fact]
    public void File_io_errors_are_not_lost_connections()
    {
        var truncated = Record.Exception(() => new BinaryReader(new MemoryStream([1, 2])).ReadInt64());
        Assert.IsType<EndOfStreamException>(truncated);
        Assert.False(DatabaseErrorPolicy.IsConnectionLost(truncated));
        Assert.Equal(ErrorKind.Fatal, DatabaseErrorPolicy.Classify(truncated));

        var missing = Record.Exception(() => File.OpenRead(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
        Assert.False(DatabaseErrorPolicy.IsConnectionLost(missing));
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.Classify(new UnauthorizedAccessException("dump dir")));
    }

    [Fact]
    public async Task An_unreachable_database_may_come_back_but_wrong_credentials_will_not()
    {
        var unreachable = new UpstreamException(UpstreamErrorCodes.DatabaseDriverError, "cannot connect",
            new SocketException((int)SocketError.ConnectionRefused)) { ConnectFailed = true };
        Assert.Equal(ErrorKind.Transient, DatabaseErrorPolicy.Classify(unreachable));
        var denied = new UpstreamException(UpstreamErrorCodes.DatabaseDriverError, "cannot connect",
            await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.AccessDenied)) { ConnectFailed = true };
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.Classify(denied));
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.Classify(new UpstreamException(UpstreamErrorCodes.SourceCheckGtid, "gtid_mode is OFF")));

        var (error, kind) = DatabaseErrorPolicy.ForUnit(unreachable, DmErrors.ErrDumpUnitRuntime);
        Assert.Equal((DmErrors.ErrDBDriverError.Code, ErrorKind.Transient), (error.Code, kind));
    }

    [Fact]
    public async Task Dm_errors_are_judged_by_their_code_then_by_their_cause()
    {
        var deadlock = new DataStatementException("ALTER TABLE t ADD INDEX i (c)", await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.LockDeadlock));
        // DM never resumes a DDL the target refused, whatever the cause.
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.Classify(DmErrors.ErrSyncerUnitHandleDDLFailed.WithMessage("ddl", deadlock.InnerException)));
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.Classify(DmErrors.ErrSyncerParseDDL.WithMessage("parse DDL", new FormatException("x"))));
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.Classify(DmErrors.ErrDumpUnitGlobalLock.Wrap(new InvalidOperationException("lock"))));
        Assert.Equal(ErrorKind.Transient, DatabaseErrorPolicy.Classify(DmErrors.ErrDBBadConn.New()));
        Assert.Equal(ErrorKind.Transient, DatabaseErrorPolicy.Classify(DmErrors.ErrDBExecuteFailed.Wrap(deadlock.InnerException!, "ALTER")));
        Assert.Equal(ErrorKind.Fatal, DatabaseErrorPolicy.Classify(DmErrors.ErrSyncerEvent.Wrap(new NullReferenceException(), "bug")));
        Assert.Equal(ErrorKind.Fatal, DatabaseErrorPolicy.Classify(DmErrors.ErrBinlogExpectTableMapEv.New()));
        // DM#'s own check refused something, with no cause behind it.
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.Classify(DmErrors.ErrConfigMetaInvalid.WithMessage("no meta")));
        Assert.Equal(ErrorKind.NeedsUser, DatabaseErrorPolicy.Classify(DmErrors.ErrDBExecuteFailed.New("LOAD DATA: 1062 Duplicate entry")));
    }

    [Fact]
    public async Task A_failed_unit_reports_dms_error_for_what_failed()
    {
        var duplicate = new DataStatementException("INSERT INTO t VALUES (1)", await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.DuplicateKeyEntry));
        var (executeFailed, kind) = DatabaseErrorPolicy.ForUnit(duplicate, DmErrors.ErrSyncerEvent);
        Assert.Equal((DmErrors.ErrDBExecuteFailed.Code, ErrorKind.NeedsUser), (executeFailed.Code, kind));
        Assert.Contains("INSERT INTO t VALUES (1)", executeFailed.Message);

        var raw = await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.LockWaitTimeout);
        Assert.Equal((DmErrors.ErrDBDriverError.Code, ErrorKind.Transient), Flat(DatabaseErrorPolicy.ForUnit(raw, DmErrors.ErrSyncerEvent)));

        var dm = DmErrors.ErrSyncerDownstreamTableNotFound.New("`d`.`t`");
        Assert.Same(dm, DatabaseErrorPolicy.ForUnit(dm, DmErrors.ErrSyncerEvent).Error);

        // What is not a database error: the unit's runtime error; the dump's and the load's are never resumed, as in DM.
        var bug = new InvalidOperationException("a bug");
        Assert.Equal((DmErrors.ErrSyncerEvent.Code, ErrorKind.Fatal), Flat(DatabaseErrorPolicy.ForUnit(bug, DmErrors.ErrSyncerEvent)));
        Assert.Equal((DmErrors.ErrDumpUnitRuntime.Code, ErrorKind.NeedsUser), Flat(DatabaseErrorPolicy.ForUnit(bug, DmErrors.ErrDumpUnitRuntime)));
        Assert.Equal((DmErrors.ErrLoadLightningRuntime.Code, ErrorKind.NeedsUser), Flat(DatabaseErrorPolicy.ForUnit(bug, DmErrors.ErrLoadLightningRuntime)));
    }

    [Fact]
    public async Task The_narrow_questions_look_at_the_statement_and_its_server_error_only()
    {
        var deadlock = await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.LockDeadlock);
        Assert.True(DatabaseErrorPolicy.IsLockConflict(deadlock));
        Assert.True(DatabaseErrorPolicy.IsLockConflict(new DataStatementException("UPDATE t SET c = 1", deadlock)));
        Assert.False(DatabaseErrorPolicy.IsLockConflict(DmErrors.ErrDBExecuteFailed.Wrap(deadlock, "UPDATE")));
        Assert.False(DatabaseErrorPolicy.IsLockConflict(await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.DuplicateKeyEntry)));

        Assert.True(DatabaseErrorPolicy.IsDuplicateEntry(new DataStatementException("INSERT", await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.DuplicateKeyEntry))));
        Assert.True(DatabaseErrorPolicy.IsDuplicateEntry(MySqlErrorCode.DuplicateKeyEntry));
        Assert.False(DatabaseErrorPolicy.IsDuplicateEntry(MySqlErrorCode.WarningDataTruncated));

        Assert.True(DatabaseErrorPolicy.IsAccessDenied(new DataStatementException("FLUSH TABLES WITH READ LOCK",
            await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.SpecifiedAccessDeniedError))));
        Assert.True(DatabaseErrorPolicy.IsUnknownTable(await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.NoSuchTable)));
        Assert.True(DatabaseErrorPolicy.IsUnknownTable(await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.UnknownDatabase)));
        Assert.False(DatabaseErrorPolicy.IsUnknownTable(await FakeMySqlServer.ServerErrorAsync(MySqlErrorCode.TableAccessDenied)));
    }

    [Theory]
    [InlineData(ErrorKind.Transient, true)]
    [InlineData(ErrorKind.Fatal, true)]
    [InlineData(ErrorKind.AlreadyApplied, true)]
    [InlineData(ErrorKind.NeedsUser, false)]
    public void Auto_resume_resumes_every_kind_but_those_that_need_the_user(ErrorKind kind, bool resumes)
    {
        Assert.Equal(resumes, DatabaseErrorPolicy.AutoResumes(kind));
        Assert.Equal(resumes, UnitResult.Failed(DmErrors.ErrSyncerEvent.New("x"), kind).Resumable);
    }

    private static (int, ErrorKind) Flat((DmException Error, ErrorKind Kind) failure) => (failure.Error.Code, failure.Kind);

    private static async Task<Exception> ReadBinlogAsync(int port, TimeSpan? connectTimeout = null)
    {
        var client = new BinlogClient(new BinlogClientOptions
        {
            Port = port, Tls = TlsMode.Disabled, ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
        });
        return await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var _ in client.ReadEventsAsync(CancellationToken.None)) { }
        });
    }
}
