using System.Buffers.Binary;
using Dm.Binlog.Gtid;

namespace Dm.Binlog.Events;

/// <summary>
/// One checked event (length and checksum verified) as a view of its bytes, with no object per event:
/// what <see cref="BinlogEventDecoder.Inspect"/> and <see cref="Files.BinlogFileScanner"/> give. Valid while
/// the bytes are (for the scanner: until its next read). Rows events are read through <see cref="AsRows"/>,
/// the few fields of GTID and XID events directly; <see cref="ToEvent"/> builds the full event object.
/// </summary>
public readonly ref struct BinlogEventView
{
    private readonly BinlogEventDecoder _decoder;
    private readonly int _bodyLength;

    internal BinlogEventView(BinlogEventDecoder decoder, long position, ReadOnlySpan<byte> bytes, int bodyLength)
    {
        _decoder = decoder;
        Position = position;
        Bytes = bytes;
        _bodyLength = bodyLength;
    }

    // The header is read from the bytes when asked for (a smaller view: returned without struct copies).
    public BinlogEventHeader Header => BinlogEventHeader.Read(Bytes);

    public BinlogEventType EventType => (BinlogEventType)Bytes[4];

    /// <summary>Where the event starts in its file (-1 when unknown).</summary>
    public long Position { get; }

    /// <summary>The whole event: common header, body, checksum.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>The bytes after the common header, without the checksum.</summary>
    public ReadOnlySpan<byte> Body => Bytes.Slice(BinlogEventHeader.Size, _bodyLength);

    /// <summary>WRITE/UPDATE/DELETE_ROWS v1/v2, MariaDB's compressed ones, MySQL's PARTIAL_UPDATE_ROWS.</summary>
    public bool IsRows => EventType is >= BinlogEventType.WriteRowsV1 and <= BinlogEventType.DeleteRowsV1
        or >= BinlogEventType.WriteRowsV2 and <= BinlogEventType.DeleteRowsV2
        or >= BinlogEventType.MariaDbWriteRowsCompressedV1 and <= BinlogEventType.MariaDbDeleteRowsCompressed
        or BinlogEventType.PartialUpdateRows;

    /// <summary>The rows of a rows event (<see cref="IsRows"/>), with its table from the TABLE_MAPs seen before.</summary>
    public RowsEventView AsRows() => IsRows ? _decoder.ViewRows(EventType, Position, Body)
        : throw new InvalidOperationException($"{EventType} is not a rows event");

    /// <summary>The TABLE_MAP this event holds, as the decoder remembers it (no new object).</summary>
    public TableMapEvent AsTableMap()
    {
        if (EventType != BinlogEventType.TableMap) throw new InvalidOperationException($"{EventType} is not a TABLE_MAP");
        var postHeader = _decoder.Format.PostHeaderLength(BinlogEventType.TableMap);
        var body = Body;
        var tableId = postHeader == 6 ? BinaryPrimitives.ReadUInt32LittleEndian(body) : new Protocol.PayloadReader(body).ReadUInt48();
        return _decoder.GetTable(tableId)!;
    }

    /// <summary>The transaction id of an XID event (what <see cref="XidEvent.Xid"/> holds).</summary>
    public bool TryGetXid(out ulong xid)
    {
        var body = Body;
        var ok = EventType == BinlogEventType.Xid && body.Length >= 8;
        xid = ok ? BinaryPrimitives.ReadUInt64LittleEndian(body) : 0;
        return ok;
    }

    /// <summary>The GTID and flags of a MariaDB GTID event (what <see cref="MariaDbGtidEvent"/> holds).</summary>
    public bool TryGetMariaDbGtid(out MariaDbGtid gtid, out byte flags)
    {
        var body = Body;
        var ok = EventType == BinlogEventType.MariaDbGtid && body.Length >= 13;
        gtid = ok ? new MariaDbGtid(BinaryPrimitives.ReadUInt32LittleEndian(body[8..]), BinaryPrimitives.ReadUInt32LittleEndian(Bytes[5..]), BinaryPrimitives.ReadUInt64LittleEndian(body)) : default;
        flags = ok ? body[12] : (byte)0;
        return ok;
    }

    /// <summary>The UTF-8 statement text of a MariaDB ANNOTATE_ROWS event (what <see cref="AnnotateRowsEvent.Query"/> decodes).</summary>
    public bool TryGetAnnotateRows(out ReadOnlySpan<byte> utf8Query)
    {
        var ok = EventType == BinlogEventType.MariaDbAnnotateRows;
        utf8Query = ok ? Body : default;
        return ok;
    }

    /// <summary>The event as an object, exactly what <see cref="BinlogEventDecoder.Decode"/> gives (over a copy of the bytes).</summary>
    public BinlogEvent ToEvent() => _decoder.ToEvent(Header, Position, Bytes, _bodyLength);
}
