using System.Runtime.CompilerServices;
using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Protocol;

namespace Dm.Binlog.Replication;

/// <summary>
/// Reads a source's binlog as a replica: connects, registers, sends COM_BINLOG_DUMP (file and
/// position), MariaDB GTID (<c>@slave_connect_state</c>) or COM_BINLOG_DUMP_GTID (MySQL GTID set),
/// and yields the decoded events. <see cref="Position"/> is always where to resume after the last
/// event yielded; enumerating <see cref="ReadEventsAsync"/> again (after a dropped connection)
/// reconnects there and keeps the table maps, so it may resume even inside a transaction.
/// <see cref="ReadRawEventsAsync"/> gives the events as the source sent them instead, for copying them unchanged (DM's relay log).
/// </summary>
public sealed class BinlogClient
{
    private readonly BinlogClientOptions _options;
    private readonly BinlogEventDecoder _decoder = new();
    private readonly TransactionTracker _tracker;
    private bool _started;

    public BinlogClient(BinlogClientOptions options)
    {
        _options = options;
        _decoder.VerifyChecksum = options.VerifyChecksum;
        _tracker = new TransactionTracker(options.StartGtid);
        if (options.StartPosition is { } p) Position = p;
    }

    /// <summary>Where the events after the last one yielded start (file and position).</summary>
    public BinlogPosition Position { get; private set; }

    /// <summary>
    /// The GTIDs executed up to the last complete transaction, going on from <see cref="BinlogClientOptions.StartGtid"/>; null
    /// while none is known (no start set and no GTID event yet). Live: it changes as events are read (see <see cref="Location"/>).
    /// </summary>
    public GtidSet? ExecutedGtid => _tracker.Executed;

    /// <summary>Where the events after the last one yielded start, with a copy of the GTIDs executed up to the last complete transaction.</summary>
    public BinlogLocation Location => new(Position, _tracker.Executed?.Clone());

    /// <summary>Whether the last event yielded is inside a transaction (resume by GTID would replay it).</summary>
    public bool InTransaction => _tracker.InGroup;

    public string? ServerVersion { get; private set; }

    /// <summary>The source's id for the current (or last) connection, as <c>KILL</c> and the process list know it.</summary>
    public uint ConnectionId { get; private set; }

    /// <summary>
    /// Connects and streams events until cancelled, the connection drops (an exception), or, with
    /// <see cref="BinlogClientOptions.StopAtEnd"/>, the end of the binlog. Enumerate again to reconnect
    /// and continue exactly after the last event yielded.
    /// </summary>
    public async IAsyncEnumerable<BinlogEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenStreamAsync(cancellationToken);
        while (true)
        {
            if (!TakeEvent(await connection.ReadPacketAsync(cancellationToken), out var bytes)) yield break;
            var ev = _decoder.Decode(bytes);
            Advance(ev.Header, ev);
            yield return ev;
        }
    }

    /// <summary>
    /// The same stream as <see cref="ReadEventsAsync"/>, each event as the source sent it (<see cref="BinlogRawEvent"/>: its whole
    /// bytes, checksum verified) with only the events that move positions, GTIDs or transactions decoded; rows and table maps
    /// are not. <see cref="Position"/>, <see cref="ExecutedGtid"/> and <see cref="InTransaction"/> follow as they do there. The
    /// bytes stay valid after the enumeration moves on (the connection never overwrites a packet it handed out).
    /// </summary>
    public async IAsyncEnumerable<BinlogRawEvent> ReadRawEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenStreamAsync(cancellationToken);
        while (true)
        {
            if (!TakeEvent(await connection.ReadPacketAsync(cancellationToken), out var bytes)) yield break;
            var header = BinlogEventHeader.Read(bytes.Span);
            BinlogEvent? ev = null;
            if (BinlogRawEvent.IsDecoded(header.EventType)) ev = _decoder.Decode(bytes);
            else _decoder.Check(bytes.Span);
            Advance(header, ev);
            yield return new BinlogRawEvent(bytes, header, ev, Position);
        }
    }

    /// <summary>Connects, registers and asks for the binlog from where the last enumeration stopped.</summary>
    private async Task<ServerConnection> OpenStreamAsync(CancellationToken cancellationToken)
    {
        var connection = await ServerConnection.ConnectAsync(_options, cancellationToken);
        try
        {
            ServerVersion = connection.Handshake.ServerVersion;
            ConnectionId = connection.Handshake.ConnectionId;
            await StartDumpAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The event in a packet of the binlog stream; false at the end of the binlog (non-blocking mode), an error packet throws.</summary>
    private bool TakeEvent(ReadOnlyMemory<byte> packet, out ReadOnlyMemory<byte> bytes)
    {
        var span = packet.Span;
        bytes = default;
        if (span.Length == 0) throw new BinlogFormatException("empty packet in the binlog stream");
        if (span[0] == 0xFF) throw ServerErrorException.Parse(span);
        if (span[0] == 0xFE && span.Length < 9) return false; // EOF: end of binlog in non-blocking mode
        if (span[0] != 0x00) throw new BinlogFormatException($"unexpected packet 0x{span[0]:X2} in the binlog stream at {Position}");
        bytes = packet[1..];
        return true;
    }

    /// <summary>Moves <see cref="Position"/> past an event (to the file a ROTATE names) and follows its transaction.</summary>
    private void Advance(BinlogEventHeader header, BinlogEvent? ev)
    {
        if (ev is RotateEvent rotate)
        {
            if (rotate.NextFileName != Position.FileName && Position.FileName != null) _decoder.ForgetTables();
            Position = new BinlogPosition(rotate.NextFileName, rotate.Position);
        }
        else if (header.NextPosition != 0 && !header.IsArtificial && header.EventType != BinlogEventType.Heartbeat && header.NextPosition >= Position.Position)
        {
            Position = Position with { Position = header.NextPosition };
        }
        _decoder.LogFile = Position.FileName;
        if (ev is null) return;
        _tracker.Observe(ev);
        ev.ResumePosition = Position;
    }

    private async Task StartDumpAsync(ServerConnection connection, CancellationToken cancellationToken)
    {
        // Tell the source we understand checksums (it refuses to send to a replica that does not) and which.
        var checksum = await connection.ScalarAsync("SELECT @@global.binlog_checksum", cancellationToken) ?? "NONE";
        await connection.QueryAsync("SET @master_binlog_checksum = @@global.binlog_checksum", cancellationToken);
        // The first event (a fake ROTATE) comes before any FORMAT_DESCRIPTION, so preset the algorithm.
        _decoder.Checksum = checksum.Equals("CRC32", StringComparison.OrdinalIgnoreCase) ? ChecksumAlgorithm.Crc32 : ChecksumAlgorithm.Off;
        if (connection.IsMariaDb)
            await connection.QueryAsync("SET @mariadb_slave_capability = 4", cancellationToken); // MARIA_SLAVE_CAPABILITY_GTID
        var heartbeatNs = (long)_options.HeartbeatPeriod.TotalMilliseconds * 1_000_000;
        if (heartbeatNs > 0) await connection.QueryAsync($"SET @master_heartbeat_period = {heartbeatNs}", cancellationToken);

        await RegisterReplicaAsync(connection, cancellationToken);

        var flags = (ushort)(_options.StopAtEnd ? 1 : 0); // BINLOG_DUMP_NON_BLOCK
        if (connection.IsMariaDb && _options.SendAnnotateRows) flags |= 2; // BINLOG_SEND_ANNOTATE_ROWS_EVENT
        var resuming = _started && Position.FileName != null;
        _started = true;
        if (!resuming && _options.StartPosition is null && _options.StartGtid is MariaDbGtidList mariaGtid)
        {
            if (!connection.IsMariaDb) throw new InvalidOperationException("a MariaDB GTID start position needs a MariaDB source");
            await connection.QueryAsync($"SET @slave_connect_state = '{mariaGtid}'", cancellationToken);
            await connection.QueryAsync("SET @slave_gtid_strict_mode = 0", cancellationToken);
            await connection.QueryAsync("SET @slave_gtid_ignore_duplicates = 0", cancellationToken);
            await SendDumpAsync(connection, "", 4, flags, cancellationToken);
            return;
        }
        if (!resuming && _options.StartPosition is null && _options.StartGtid is MySqlGtidSet mysqlGtid)
        {
            if (connection.IsMariaDb) throw new InvalidOperationException("a MySQL GTID set start position needs a MySQL source");
            await connection.SendCommandAsync(DumpGtidCommand(_options.ServerId, flags, mysqlGtid), cancellationToken);
            return;
        }
        if (Position.FileName == null)
        {
            // No start given: the oldest binlog file still on the source.
            var logs = await connection.QueryAsync("SHOW BINARY LOGS", cancellationToken);
            if (logs.Count == 0 || logs[0][0] == null) throw new InvalidOperationException("the source has no binary logs (is log_bin on?)");
            Position = new BinlogPosition(logs[0][0]!, 4);
        }
        _decoder.LogFile = Position.FileName;
        await SendDumpAsync(connection, Position.FileName, Position.Position, flags, cancellationToken);
    }

    /// <summary>MySQL's <c>COM_BINLOG_DUMP_GTID</c> asking for every transaction not in <paramref name="executed"/>.</summary>
    internal static ReadOnlyMemory<byte> DumpGtidCommand(uint serverId, ushort flags, MySqlGtidSet executed)
    {
        var gtids = executed.Encode();
        return new PayloadWriter().WriteByte(0x1E).WriteUInt16((ushort)(flags | 4)) // BINLOG_THROUGH_GTID
            .WriteUInt32(serverId).WriteUInt32(0).WriteUInt64(4).WriteUInt32((uint)gtids.Length).WriteBytes(gtids).Written;
    }

    private async Task SendDumpAsync(ServerConnection connection, string file, long position, ushort flags, CancellationToken cancellationToken)
    {
        if (position > uint.MaxValue) throw new InvalidOperationException($"position {position} does not fit COM_BINLOG_DUMP");
        var command = new PayloadWriter().WriteByte(0x12).WriteUInt32((uint)position).WriteUInt16(flags)
            .WriteUInt32(_options.ServerId).WriteString(file);
        await connection.SendCommandAsync(command.Written, cancellationToken);
    }

    private async Task RegisterReplicaAsync(ServerConnection connection, CancellationToken cancellationToken)
    {
        var host = System.Text.Encoding.UTF8.GetBytes(Environment.MachineName);
        var command = new PayloadWriter().WriteByte(0x15).WriteUInt32(_options.ServerId)
            .WriteByte((byte)Math.Min(host.Length, 255)).WriteBytes(host.AsSpan(0, Math.Min(host.Length, 255)))
            .WriteByte(0) // user
            .WriteByte(0) // password
            .WriteUInt16(0) // port
            .WriteUInt32(0) // replication rank
            .WriteUInt32(0); // master id
        await connection.SendCommandAsync(command.Written, cancellationToken);
        await connection.ReadOkAsync(cancellationToken);
    }
}
