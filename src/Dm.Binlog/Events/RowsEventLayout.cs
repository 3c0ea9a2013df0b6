using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Dm.Binlog.Protocol;

namespace Dm.Binlog.Events;

/// <summary>
/// Where the parts of a rows event body lie (MySQL source: libbinlogevents/include/rows_event.h, class
/// Rows_event): table id, flags, v2 extra data, column count, the column bitmaps and the row data. Read
/// once by both the object path (<see cref="RowsEvent"/>) and the view path (<see cref="RowsEventView"/>).
/// </summary>
internal readonly struct RowsEventLayout
{
    public RowsEventKind Kind { get; init; }
    public ulong TableId { get; init; }
    public ushort Flags { get; init; }
    public int ColumnCount { get; init; }
    public int PresentOffset { get; init; }

    /// <summary>Offset of the after-image bitmap of updates; -1 for other kinds.</summary>
    public int PresentAfterOffset { get; init; }

    public int BitmapLength { get; init; }
    public int RowDataOffset { get; init; }

    /// <summary>MariaDB's compressed rows events (log_bin_compress): the row data is zlib-compressed.</summary>
    public bool IsCompressed { get; init; }

    public static RowsEventLayout Read(BinlogEventType type, ReadOnlySpan<byte> body, int postHeaderLength)
    {
        // The common shape read straight: 6-byte table id (post-header of 8 bytes, 10 in v2), no v2 extra data, fewer than 251 columns, all bytes there.
        var version2 = type is BinlogEventType.WriteRowsV2 or BinlogEventType.UpdateRowsV2 or BinlogEventType.DeleteRowsV2
            or BinlogEventType.PartialUpdateRows or BinlogEventType.MariaDbWriteRowsCompressed
            or BinlogEventType.MariaDbUpdateRowsCompressed or BinlogEventType.MariaDbDeleteRowsCompressed;
        var at = version2 ? 10 : 8;
        if (postHeaderLength != at || body.Length <= at || body[at] >= 251 || version2 && BinaryPrimitives.ReadUInt16LittleEndian(body[8..]) != 2)
            return ReadGeneral(type, body, postHeaderLength);
        var kind = KindOf(type);
        var columnCount = (int)body[at];
        var bitmapLength = (columnCount + 7) >> 3;
        var present = at + 1;
        var presentAfter = kind is RowsEventKind.Update or RowsEventKind.PartialUpdate ? present + bitmapLength : -1;
        var rowData = present + (presentAfter < 0 ? bitmapLength : 2 * bitmapLength);
        if (rowData > body.Length) return ReadGeneral(type, body, postHeaderLength); // says what is cut off
        return new RowsEventLayout
        {
            Kind = kind, TableId = BinaryPrimitives.ReadUInt32LittleEndian(body) | (ulong)BinaryPrimitives.ReadUInt16LittleEndian(body[4..]) << 32,
            Flags = BinaryPrimitives.ReadUInt16LittleEndian(body[6..]), ColumnCount = columnCount, PresentOffset = present,
            PresentAfterOffset = presentAfter, BitmapLength = bitmapLength, RowDataOffset = rowData,
            IsCompressed = type is >= BinlogEventType.MariaDbWriteRowsCompressedV1 and <= BinlogEventType.MariaDbDeleteRowsCompressed,
        };
    }

    private static RowsEventLayout ReadGeneral(BinlogEventType type, ReadOnlySpan<byte> body, int postHeaderLength)
    {
        var reader = new PayloadReader(body);
        var tableId = postHeaderLength == 6 ? reader.ReadUInt32() : reader.ReadUInt48();
        var flags = reader.ReadUInt16();
        var version2 = type is BinlogEventType.WriteRowsV2 or BinlogEventType.UpdateRowsV2 or BinlogEventType.DeleteRowsV2
            or BinlogEventType.PartialUpdateRows or BinlogEventType.MariaDbWriteRowsCompressed
            or BinlogEventType.MariaDbUpdateRowsCompressed or BinlogEventType.MariaDbDeleteRowsCompressed;
        if (version2)
        {
            var extraLength = reader.ReadUInt16();
            if (extraLength < 2) throw new BinlogFormatException($"rows event extra-data length {extraLength} is below 2");
            reader.Skip(extraLength - 2);
        }
        var kind = KindOf(type);
        var width = reader.ReadLengthEncodedInteger();
        // MySQL and MariaDB allow at most 4096 columns per table.
        if (width > 4096) throw new BinlogFormatException($"rows event claims {width} columns");
        var columnCount = (int)width;
        var bitmapLength = (columnCount + 7) / 8;
        var present = reader.Offset;
        reader.Skip(bitmapLength);
        var presentAfter = -1;
        if (kind is RowsEventKind.Update or RowsEventKind.PartialUpdate)
        {
            presentAfter = reader.Offset;
            reader.Skip(bitmapLength);
        }
        return new RowsEventLayout
        {
            Kind = kind, TableId = tableId, Flags = flags, ColumnCount = columnCount, PresentOffset = present,
            PresentAfterOffset = presentAfter, BitmapLength = bitmapLength, RowDataOffset = reader.Offset,
            IsCompressed = type is >= BinlogEventType.MariaDbWriteRowsCompressedV1 and <= BinlogEventType.MariaDbDeleteRowsCompressed,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowsEventKind KindOf(BinlogEventType type) => type switch
    {
        BinlogEventType.WriteRowsV0 or BinlogEventType.WriteRowsV1 or BinlogEventType.WriteRowsV2
            or BinlogEventType.MariaDbWriteRowsCompressedV1 or BinlogEventType.MariaDbWriteRowsCompressed => RowsEventKind.Write,
        BinlogEventType.DeleteRowsV0 or BinlogEventType.DeleteRowsV1 or BinlogEventType.DeleteRowsV2
            or BinlogEventType.MariaDbDeleteRowsCompressedV1 or BinlogEventType.MariaDbDeleteRowsCompressed => RowsEventKind.Delete,
        BinlogEventType.PartialUpdateRows => RowsEventKind.PartialUpdate,
        _ => RowsEventKind.Update,
    };

    /// <summary>Rejects a rows event whose column count is not its TABLE_MAP's.</summary>
    public void CheckTable(TableMapEvent? table)
    {
        if (table != null && table.Columns.Length != ColumnCount)
            throw new BinlogFormatException($"rows event has {ColumnCount} columns but TABLE_MAP of {table.Database}.{table.Table} (id {TableId}) has {table.Columns.Length}");
    }
}
