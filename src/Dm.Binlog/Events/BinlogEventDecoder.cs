using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Dm.Binlog.Gtid;
using Dm.Binlog.Protocol;

namespace Dm.Binlog.Events;

/// <summary>
/// Decodes one event at a time (common header, checksum, body) and keeps the state later events need:
/// the current FORMAT_DESCRIPTION, the checksum algorithm and the TABLE_MAPs by table id.
/// One decoder serves one stream of events (a replication connection's or a file's).
/// </summary>
public sealed class BinlogEventDecoder
{
    private readonly Dictionary<ulong, TableMapEvent> _tables = new();
    private readonly Func<ulong, TableMapEvent?> _getTable; // one delegate, not one per rows event

    public BinlogEventDecoder() => _getTable = GetTable;

    public FormatDescriptionEvent Format { get; private set; } = FormatDescriptionEvent.Default;

    /// <summary>Checksum of the events that follow; taken from each FORMAT_DESCRIPTION, preset by the client before the first one.</summary>
    public ChecksumAlgorithm Checksum { get; set; } = ChecksumAlgorithm.Off;

    /// <summary>Verify CRC32 checksums (when the events carry them).</summary>
    public bool VerifyChecksum { get; set; } = true;

    /// <summary>The binlog file the events come from, for error messages.</summary>
    public string? LogFile { get; set; }

    /// <summary>Drops the table maps (when moving to another binlog file: ids are only valid within one).</summary>
    public void ForgetTables()
    {
        _tables.Clear();
        _lastTable = null;
    }

    /// <summary>The table map for a table id, when seen.</summary>
    public TableMapEvent? GetTable(ulong tableId) =>
        _lastTable is { } last && last.TableId == tableId ? last : _tables.GetValueOrDefault(tableId);

    // What errors in the rows of the current view name (one object for all views: no allocation per event).
    private readonly Rows.RowsEventContext _viewContext = new();

    // The TABLE_MAP remembered last: the rows events right after it are for its table (no dictionary look-up).
    private TableMapEvent? _lastTable;

    /// <summary>
    /// Decodes one whole event (header to checksum). <paramref name="position"/> is where it starts in
    /// <see cref="LogFile"/> (for error messages; -1 when unknown). The returned event may keep slices
    /// of <paramref name="bytes"/>, which must therefore stay unchanged.
    /// </summary>
    public BinlogEvent Decode(ReadOnlyMemory<byte> bytes, long position = -1)
    {
        var header = ReadHeader(bytes.Span, ref position);
        try
        {
            var bodyEnd = CheckChecksum(bytes.Span, header);
            var body = bytes[BinlogEventHeader.Size..bodyEnd];
            var ev = DecodeBody(header, body, bytes, position);
            ev.Header = header;
            return ev;
        }
        catch (Exception e) when (IsUnplaced(e))
        {
            throw Placed(header.EventType, position, e);
        }
    }

    /// <summary>
    /// Checks one whole event without decoding it: its length against the header, and its CRC32 when the events carry one
    /// (and <see cref="VerifyChecksum"/>). For bytes copied on unchanged (a relay log); a FORMAT_DESCRIPTION is to be
    /// <see cref="Decode"/>d instead, as it sets the checksum of the events after it.
    /// </summary>
    public void Check(ReadOnlySpan<byte> bytes, long position = -1)
    {
        var header = ReadHeader(bytes, ref position);
        try
        {
            CheckChecksum(bytes, header);
        }
        catch (Exception e) when (IsUnplaced(e))
        {
            throw Placed(header.EventType, position, e);
        }
    }

    /// <summary>The common header, checked against the event's length; fills in <paramref name="position"/> from it when unknown.</summary>
    private BinlogEventHeader ReadHeader(ReadOnlySpan<byte> span, ref long position)
    {
        if (span.Length < BinlogEventHeader.Size)
            throw Error(null, position, $"event of {span.Length} bytes is shorter than the {BinlogEventHeader.Size}-byte header");
        var header = BinlogEventHeader.Read(span);
        if (position < 0 && header.NextPosition >= header.EventSize && !header.IsArtificial && header.NextPosition != 0)
            position = header.NextPosition - header.EventSize;
        if (header.EventSize != span.Length)
            throw Error(header.EventType, position, $"header says {header.EventSize} bytes but the event has {span.Length} (truncated or wrong length)");
        return header;
    }

    /// <summary>A format error not yet naming its event, or an out-of-range access on malformed bytes.</summary>
    private static bool IsUnplaced(Exception e) => e is BinlogFormatException { Position: null }
        or IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException or OverflowException;

    /// <summary>The error of <see cref="IsUnplaced"/> naming the event type, file and position.</summary>
    private BinlogFormatException Placed(BinlogEventType type, long position, Exception e) =>
        Error(type, position, e is BinlogFormatException ? e.Message : $"malformed body ({e.Message})", e);

    /// <summary>
    /// Checks one whole event (length, checksum) and gives a view of it, without building an event object:
    /// the allocation-free path (<see cref="Files.BinlogFileScanner"/>). Keeps the decoder's state as
    /// <see cref="Decode"/> does: a FORMAT_DESCRIPTION sets the checksum, a TABLE_MAP is remembered (parsed only
    /// when its bytes differ from the map already known for its table id). The view is valid while
    /// <paramref name="bytes"/> is; <see cref="BinlogEventView.ToEvent"/> decodes it to an object when wanted.
    /// </summary>
    public BinlogEventView Inspect(ReadOnlySpan<byte> bytes, long position = -1)
    {
        Inspect(bytes, position, out var view);
        return view;
    }

    /// <summary>
    /// <see cref="Inspect(ReadOnlySpan{byte}, long)"/> into <paramref name="view"/>. The common event (position known,
    /// length as its header says, not a FORMAT_DESCRIPTION) is checked here with no exception handler and no
    /// struct copies; TABLE_MAPs and anything unusual go out of line.
    /// </summary>
    internal void Inspect(ReadOnlySpan<byte> bytes, long position, out BinlogEventView view)
    {
        var checksum = Checksum;
        if (position < 0 || bytes.Length < BinlogEventHeader.Size + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes[9..]) != (uint)bytes.Length
            || (BinlogEventType)bytes[4] == BinlogEventType.FormatDescription || checksum is not (ChecksumAlgorithm.Crc32 or ChecksumAlgorithm.Off))
        {
            view = InspectOther(bytes, position);
            return;
        }
        var bodyEnd = bytes.Length;
        if (checksum == ChecksumAlgorithm.Crc32)
        {
            bodyEnd -= 4;
            if (VerifyChecksum && Crc32.Compute(bytes[..bodyEnd]) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[bodyEnd..]))
                ThrowBadChecksum(bytes, position);
        }
        if ((BinlogEventType)bytes[4] == BinlogEventType.TableMap) RememberTable(bytes[BinlogEventHeader.Size..bodyEnd], position);
        view = new BinlogEventView(this, position, bytes, bodyEnd - BinlogEventHeader.Size);
    }

    /// <summary>The general checks of <see cref="Inspect(ReadOnlySpan{byte}, long)"/>: unknown position, wrong lengths, FORMAT_DESCRIPTION.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private BinlogEventView InspectOther(ReadOnlySpan<byte> bytes, long position)
    {
        var header = ReadHeader(bytes, ref position);
        try
        {
            var bodyEnd = CheckChecksum(bytes, header);
            switch (header.EventType)
            {
                case BinlogEventType.FormatDescription:
                    // Rare (one per file): the object path sets the format and checksum.
                    DecodeBody(header, bytes[BinlogEventHeader.Size..bodyEnd].ToArray(), bytes.ToArray(), position);
                    break;
                case BinlogEventType.TableMap:
                    RememberTable(bytes[BinlogEventHeader.Size..bodyEnd], out _);
                    break;
            }
            return new BinlogEventView(this, position, bytes, bodyEnd - BinlogEventHeader.Size);
        }
        catch (Exception e) when (IsUnplaced(e))
        {
            throw Placed(header.EventType, position, e);
        }
    }

    /// <summary>A TABLE_MAP seen by <see cref="Inspect(ReadOnlySpan{byte}, long, out BinlogEventView)"/>, its errors naming it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RememberTable(ReadOnlySpan<byte> body, long position)
    {
        try
        {
            RememberTable(body, out _);
        }
        catch (Exception e) when (IsUnplaced(e))
        {
            throw Placed(BinlogEventType.TableMap, position, e);
        }
    }

    /// <summary>The checksum error of an event <see cref="Inspect(ReadOnlySpan{byte}, long, out BinlogEventView)"/> checked (as <see cref="CheckChecksum"/> words it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadChecksum(ReadOnlySpan<byte> bytes, long position)
    {
        var header = BinlogEventHeader.Read(bytes);
        try
        {
            CheckChecksum(bytes, header);
        }
        catch (Exception e) when (IsUnplaced(e))
        {
            throw Placed(header.EventType, position, e);
        }
        throw new InvalidOperationException("CRC32 mismatch not confirmed by the full check");
    }

    /// <summary>The rows-event view of a rows event body (its table from the remembered TABLE_MAPs).</summary>
    internal RowsEventView ViewRows(BinlogEventType type, long position, ReadOnlySpan<byte> body)
    {
        try
        {
            var layout = RowsEventLayout.Read(type, body, Format.PostHeaderLength(type));
            var rowData = body[layout.RowDataOffset..];
            if (layout.IsCompressed) rowData = MariaDbCompression.Decompress(rowData);
            var table = GetTable(layout.TableId);
            layout.CheckTable(table);
            var presentAfter = layout.PresentAfterOffset < 0 ? default : body.Slice(layout.PresentAfterOffset, layout.BitmapLength);
            _viewContext.Set(type, LogFile, position, table, layout.TableId);
            return new RowsEventView(_viewContext, type, table, layout,
                body.Slice(layout.PresentOffset, layout.BitmapLength), presentAfter, rowData);
        }
        catch (Exception e) when (IsUnplaced(e))
        {
            throw Placed(type, position, e);
        }
    }

    /// <summary>A view's event as an object (what <see cref="Decode"/> gives), over a copy of its bytes.</summary>
    internal BinlogEvent ToEvent(BinlogEventHeader header, long position, ReadOnlySpan<byte> bytes, int bodyLength)
    {
        var copy = bytes.ToArray();
        try
        {
            var ev = header.EventType switch
            {
                // Already applied to this decoder's state when the view was made: build the object only.
                BinlogEventType.FormatDescription => FormatDescriptionEvent.Parse(copy.AsSpan(BinlogEventHeader.Size)),
                BinlogEventType.TableMap => CopyOfKnownTable(copy.AsSpan(BinlogEventHeader.Size, bodyLength)),
                _ => DecodeBody(header, copy.AsMemory(BinlogEventHeader.Size, bodyLength), copy, position),
            };
            ev.Header = header;
            return ev;
        }
        catch (Exception e) when (IsUnplaced(e))
        {
            throw Placed(header.EventType, position, e);
        }
    }

    /// <summary>Checks the CRC32 when the events carry one (and <see cref="VerifyChecksum"/>); returns where the body ends.</summary>
    private int CheckChecksum(ReadOnlySpan<byte> span, in BinlogEventHeader header)
    {
        var checksum = header.EventType == BinlogEventType.FormatDescription ? FormatChecksum(span) : Checksum;
        var bodyEnd = span.Length;
        if (checksum != ChecksumAlgorithm.Crc32) return bodyEnd;
        if (span.Length < BinlogEventHeader.Size + 4) throw new BinlogFormatException("no room for the CRC32 checksum");
        bodyEnd -= 4;
        if (!VerifyChecksum) return bodyEnd;
        var expected = BinaryPrimitives.ReadUInt32LittleEndian(span[bodyEnd..]);
        // One call over the whole event: System.IO.Hashing's CRC-32 is vectorised (carry-less multiply).
        var actual = Crc32.Compute(span[..bodyEnd]);
        // The server sets LOG_EVENT_BINLOG_IN_USE_F (0x1) in the FORMAT_DESCRIPTION of the file it is writing
        // after computing the checksum, and clears it at close: check that event as if the flag were clear.
        if (expected != actual && header.EventType == BinlogEventType.FormatDescription && (header.Flags & 1) != 0)
            actual = FormatDescriptionChecksumWithoutInUseFlag(span[..bodyEnd]);
        if (expected != actual) throw new BinlogFormatException($"bad CRC32 checksum: event has 0x{expected:X8}, bytes give 0x{actual:X8}");
        return bodyEnd;
    }

    /// <summary>
    /// Remembers a TABLE_MAP by table id. Each transaction repeats its TABLE_MAPs: when the bytes are those
    /// already parsed for this table id, the known map is kept (<paramref name="known"/>) instead of parsing again.
    /// </summary>
    private TableMapEvent RememberTable(ReadOnlySpan<byte> body, out bool known)
    {
        var postHeader = Format.PostHeaderLength(BinlogEventType.TableMap);
        var tableId = postHeader == 6 ? BinaryPrimitives.ReadUInt32LittleEndian(body) : new PayloadReader(body).ReadUInt48();
        // Most often the map just seen again (one table per statement); else the one known for its id.
        if ((_lastTable is { } last && last.TableId == tableId ? last : _tables.GetValueOrDefault(tableId)) is { } map && body.SequenceEqual(map.Body))
        {
            known = true;
            return _lastTable = map;
        }
        map = TableMapEvent.Parse(body, postHeader);
        map.Body = body.ToArray();
        _tables[map.TableId] = map;
        known = false;
        return _lastTable = map;
    }

    /// <summary>A TABLE_MAP event object for bytes already remembered (one object per event, as Decode gives).</summary>
    private TableMapEvent CopyOfKnownTable(ReadOnlySpan<byte> body)
    {
        var known = RememberTable(body, out _);
        return new TableMapEvent
        {
            TableId = known.TableId, Flags = known.Flags, Database = known.Database, Table = known.Table,
            Columns = known.Columns, ValueWidths = known.ValueWidths, Body = known.Body,
        };
    }

    /// <summary>The FORMAT_DESCRIPTION's own checksum: its algorithm byte sits just before the 4 CRC bytes.</summary>
    private static uint FormatDescriptionChecksumWithoutInUseFlag(ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[BinlogEventHeader.Size];
        data[..BinlogEventHeader.Size].CopyTo(header);
        header[17] &= 0xFE; // flags are bytes 17-18 of the common header
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(header);
        crc.Append(data[BinlogEventHeader.Size..]);
        return crc.GetCurrentHashAsUInt32();
    }

    private static ChecksumAlgorithm FormatChecksum(ReadOnlySpan<byte> span)
    {
        var body = span[BinlogEventHeader.Size..];
        if (body.Length < 57) throw new BinlogFormatException($"FORMAT_DESCRIPTION body of {body.Length} bytes is too short");
        var nul = body.Slice(2, 50).IndexOf((byte)0);
        var version = Encoding.ASCII.GetString(body.Slice(2, nul >= 0 ? nul : 50));
        if (!FormatDescriptionEvent.SupportsChecksum(version)) return ChecksumAlgorithm.Off;
        return (ChecksumAlgorithm)span[^5] == ChecksumAlgorithm.Crc32 ? ChecksumAlgorithm.Crc32 : ChecksumAlgorithm.Off;
    }

    private BinlogEvent DecodeBody(BinlogEventHeader header, ReadOnlyMemory<byte> body, ReadOnlyMemory<byte> whole, long position)
    {
        var span = body.Span;
        var type = header.EventType;
        switch (type)
        {
            case BinlogEventType.FormatDescription:
            {
                // Parse with the checksum part included (the span before the CRC was cut above).
                var withCrc = whole.Span[BinlogEventHeader.Size..];
                var fde = FormatDescriptionEvent.Parse(withCrc);
                Format = fde;
                Checksum = fde.ChecksumAlgorithm == ChecksumAlgorithm.Crc32 ? ChecksumAlgorithm.Crc32 : ChecksumAlgorithm.Off;
                // Table maps survive: a replica resuming inside a transaction gets this FORMAT_DESCRIPTION
                // again but not the TABLE_MAPs before its position. Rotation to a new file forgets them.
                return fde;
            }
            case BinlogEventType.Rotate:
                return RotateEvent.Parse(span, Format.PostHeaderLength(type));
            case BinlogEventType.Query:
            case BinlogEventType.MariaDbQueryCompressed:
                return QueryEvent.Parse(span, Format.PostHeaderLength(type), type == BinlogEventType.MariaDbQueryCompressed);
            case BinlogEventType.Xid:
                return new XidEvent { Xid = new PayloadReader(span).ReadUInt64() };
            case BinlogEventType.TableMap:
            {
                var map = RememberTable(span, out var known);
                return known ? CopyOfKnownTable(span) : map;
            }
            case BinlogEventType.WriteRowsV0 or BinlogEventType.UpdateRowsV0 or BinlogEventType.DeleteRowsV0:
                return new RawEvent(body);
            case >= BinlogEventType.WriteRowsV1 and <= BinlogEventType.DeleteRowsV1:
            case >= BinlogEventType.WriteRowsV2 and <= BinlogEventType.DeleteRowsV2:
            case >= BinlogEventType.MariaDbWriteRowsCompressedV1 and <= BinlogEventType.MariaDbDeleteRowsCompressed:
                return RowsEvent.Parse(type, body, Format.PostHeaderLength(type), _getTable, LogFile, position);
            case BinlogEventType.PartialUpdateRows:
                return RowsEvent.Parse(type, body, Format.PostHeaderLength(type), _getTable, LogFile, position);
            case BinlogEventType.IntVar:
            {
                var reader = new PayloadReader(span);
                return new IntVarEvent { VariableType = reader.ReadByte(), Value = reader.ReadUInt64() };
            }
            case BinlogEventType.Rand:
            {
                var reader = new PayloadReader(span);
                return new RandEvent { Seed1 = reader.ReadUInt64(), Seed2 = reader.ReadUInt64() };
            }
            case BinlogEventType.UserVar:
                return UserVarEvent.Parse(span);
            case BinlogEventType.Stop:
                return new StopEvent();
            case BinlogEventType.Heartbeat:
                return new HeartbeatEvent { LogFileName = Encoding.UTF8.GetString(span) };
            case BinlogEventType.RowsQuery:
                // One length byte (unreliable: the text may be longer than 255) then the text to the end.
                return new RowsQueryEvent(body.Length > 0 ? body[1..] : body);
            case BinlogEventType.MariaDbAnnotateRows:
                return new AnnotateRowsEvent(body);
            case BinlogEventType.MariaDbBinlogCheckpoint:
            {
                var reader = new PayloadReader(span);
                var length = (int)reader.ReadUInt32();
                return new BinlogCheckpointEvent { FileName = Encoding.UTF8.GetString(reader.ReadBytes(length)) };
            }
            case BinlogEventType.MariaDbGtid:
                return DecodeMariaDbGtid(header, span);
            case BinlogEventType.MariaDbGtidList:
                return DecodeMariaDbGtidList(span);
            case BinlogEventType.Gtid:
            case BinlogEventType.AnonymousGtid:
                return DecodeMySqlGtid(span);
            case BinlogEventType.PreviousGtids:
                return new PreviousGtidsEvent { GtidSet = MySqlGtidSet.Decode(span) };
            case BinlogEventType.TransactionPayload:
                return DecodeTransactionPayload(body, position);
            default:
                return new RawEvent(body);
        }
    }

    private static MariaDbGtidEvent DecodeMariaDbGtid(BinlogEventHeader header, ReadOnlySpan<byte> span)
    {
        var reader = new PayloadReader(span);
        var sequence = reader.ReadUInt64();
        var domain = reader.ReadUInt32();
        var flags = reader.ReadByte();
        ulong? commitId = (flags & MariaDbGtidEvent.FlagGroupCommitId) != 0 ? reader.ReadUInt64() : null;
        return new MariaDbGtidEvent { Gtid = new MariaDbGtid(domain, header.ServerId, sequence), Flags = flags, CommitId = commitId };
    }

    private static MariaDbGtidListEvent DecodeMariaDbGtidList(ReadOnlySpan<byte> span)
    {
        var reader = new PayloadReader(span);
        var countAndFlags = reader.ReadUInt32();
        var count = countAndFlags & 0x0FFFFFFF;
        if (count > reader.Remaining / 16) throw new BinlogFormatException($"GTID_LIST claims {count} GTIDs, more than its {reader.Remaining} bytes hold");
        var gtids = new MariaDbGtid[count];
        for (var i = 0; i < count; i++)
        {
            var domain = reader.ReadUInt32();
            var server = reader.ReadUInt32();
            gtids[i] = new MariaDbGtid(domain, server, reader.ReadUInt64());
        }
        return new MariaDbGtidListEvent { Gtids = gtids, ListFlags = (byte)(countAndFlags >> 28) };
    }

    /// <summary>MySQL Gtid_event (libbinlogevents/src/control_events.cpp, Gtid_event::Gtid_event): optional tail fields appear by version.</summary>
    internal static MySqlGtidEvent DecodeMySqlGtid(ReadOnlySpan<byte> span)
    {
        var reader = new PayloadReader(span);
        var flags = reader.ReadByte();
        var sid = reader.ReadBytes(16);
        var uuid = new Guid(sid, bigEndian: true);
        var gno = (long)reader.ReadUInt64();
        long? lastCommitted = null, sequence = null;
        ulong? immediateTs = null, originalTs = null, length = null;
        uint? immediateVersion = null, originalVersion = null;
        if (!reader.IsAtEnd && reader.PeekByte() == 2)
        {
            reader.ReadByte(); // LOGICAL_TIMESTAMP_TYPECODE
            lastCommitted = (long)reader.ReadUInt64();
            sequence = (long)reader.ReadUInt64();
            if (reader.Remaining >= 7)
            {
                // 7 bytes; the top bit says the original commit timestamp (7 more bytes) follows.
                var ts = reader.ReadFixed(7);
                immediateTs = ts & ~(1UL << 55);
                originalTs = (ts & (1UL << 55)) != 0 ? reader.ReadFixed(7) : immediateTs;
                if (!reader.IsAtEnd) length = reader.ReadLengthEncodedInteger();
                if (reader.Remaining >= 4)
                {
                    var v = reader.ReadUInt32();
                    immediateVersion = v & 0x7FFFFFFF;
                    originalVersion = (v & 0x80000000) != 0 ? reader.ReadUInt32() : immediateVersion;
                }
            }
        }
        return new MySqlGtidEvent
        {
            Flags = flags, SourceId = uuid, SourceUuid = uuid.ToString("D"), TransactionNumber = gno,
            LastCommitted = lastCommitted, SequenceNumber = sequence, ImmediateCommitTimestamp = immediateTs,
            OriginalCommitTimestamp = originalTs, TransactionLength = length,
            ImmediateServerVersion = immediateVersion, OriginalServerVersion = originalVersion,
        };
    }

    private TransactionPayloadEvent DecodeTransactionPayload(ReadOnlyMemory<byte> body, long position)
    {
        var (compression, size, payload) = TransactionPayloadEvent.ReadHeader(body);
        var data = TransactionPayloadEvent.Decompress(compression, size, payload.Span);
        // The inner events carry no checksums; they share this decoder's table maps.
        var saved = Checksum;
        Checksum = ChecksumAlgorithm.Off;
        var events = new List<BinlogEvent>();
        try
        {
            var at = 0;
            while (at < data.Length)
            {
                if (data.Length - at < BinlogEventHeader.Size)
                    throw new BinlogFormatException($"TRANSACTION_PAYLOAD: {data.Length - at} trailing bytes are not an event");
                var size1 = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 9));
                if (size1 < BinlogEventHeader.Size || size1 > data.Length - at)
                    throw new BinlogFormatException($"TRANSACTION_PAYLOAD: inner event at byte {at} claims {size1} bytes, {data.Length - at} left");
                events.Add(Decode(data.AsMemory(at, (int)size1), position));
                at += (int)size1;
            }
        }
        finally
        {
            Checksum = saved;
        }
        return new TransactionPayloadEvent { CompressionType = compression, UncompressedSize = size, Events = events };
    }

    private string Where(long position) => position >= 0 ? $"at {LogFile ?? "?"}:{position}" : $"in {LogFile ?? "?"}";

    private BinlogFormatException Error(BinlogEventType? type, long position, string message, Exception? inner = null)
    {
        var text = $"{(type?.ToString() ?? "event")} {Where(position)}: {message}";
        return inner == null
            ? new BinlogFormatException(text) { LogFile = LogFile, Position = position >= 0 ? position : null, EventType = type }
            : new BinlogFormatException(text, inner) { LogFile = LogFile, Position = position >= 0 ? position : null, EventType = type };
    }
}
