using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Dm.Binlog.Events;

namespace Dm.Binlog.Rows;

/// <summary>
/// Walks the row images of a rows event: per image a NULL bitmap over the present columns, then the
/// values of the present, non-NULL columns. Every length is checked against the event's bytes.
/// </summary>
internal static class RowsParser
{
    public static IReadOnlyList<RowChange> Parse(RowsEvent rows, ReadOnlySpan<byte> data)
    {
        var context = rows.Context;
        var table = rows.Table?.Columns ?? RowsEventContext.RequireColumns(null, context.EventType, context.Where, context.TableId);
        var widths = rows.Table!.ValueWidths;
        var result = new List<RowChange>();
        var memory = rows.RowData;
        var at = 0;
        var offsets = new OffsetBlock(table.Length);
        var (fullBefore, fullAfter) = FullImages(rows.Kind, rows.ColumnsPresent.Span, rows.ColumnsPresentAfter.Span, table.Length);
        while (at < data.Length)
        {
            RowImage? before = null, after = null;
            switch (rows.Kind)
            {
                case RowsEventKind.Write:
                    after = ReadImage(rows, context, table, widths, memory, data, ref at, rows.ColumnsPresent.Span, fullBefore, ref offsets);
                    break;
                case RowsEventKind.Delete:
                    before = ReadImage(rows, context, table, widths, memory, data, ref at, rows.ColumnsPresent.Span, fullBefore, ref offsets);
                    break;
                case RowsEventKind.Update:
                    before = ReadImage(rows, context, table, widths, memory, data, ref at, rows.ColumnsPresent.Span, fullBefore, ref offsets);
                    after = ReadImage(rows, context, table, widths, memory, data, ref at, rows.ColumnsPresentAfter.Span, fullAfter, ref offsets);
                    break;
                case RowsEventKind.PartialUpdate:
                    before = ReadImage(rows, context, table, widths, memory, data, ref at, rows.ColumnsPresent.Span, false, ref offsets);
                    after = ReadPartialImage(rows, context, table, widths, memory, data, ref at, rows.ColumnsPresentAfter.Span);
                    break;
            }
            result.Add(new RowChange(before, after));
        }
        return result;
    }

    public static int Count(RowsEvent rows, ReadOnlySpan<byte> data)
    {
        var context = rows.Context;
        var table = rows.Table?.Columns ?? RowsEventContext.RequireColumns(null, context.EventType, context.Where, context.TableId);
        var widths = rows.Table!.ValueWidths;
        var count = 0;
        var at = 0;
        Span<int> offsets = rows.ColumnCount <= 256 ? stackalloc int[rows.ColumnCount] : new int[rows.ColumnCount];
        while (at < data.Length)
        {
            Locate(context, table, widths, data, ref at, rows.ColumnsPresent.Span, offsets);
            if (rows.Kind is RowsEventKind.Update) Locate(context, table, widths, data, ref at, rows.ColumnsPresentAfter.Span, offsets);
            if (rows.Kind is RowsEventKind.PartialUpdate) ReadPartialImage(rows, context, table, widths, rows.RowData, data, ref at, rows.ColumnsPresentAfter.Span);
            count++;
        }
        return count;
    }

    /// <summary>Column offsets of many images in one array (fewer allocations on the hot path).</summary>
    private struct OffsetBlock(int columns)
    {
        private int[] _array = new int[Math.Max(columns, Math.Min(columns * 16, 4096))];
        private int _used;

        public (int[] Array, int Start) Next()
        {
            if (_used + columns > _array.Length)
            {
                _array = new int[_array.Length];
                _used = 0;
            }
            var start = _used;
            _used += columns;
            return (_array, start);
        }
    }

    private static RowImage ReadImage(RowsEvent rows, RowsEventContext context, ColumnDefinition[] table, int[] widths, ReadOnlyMemory<byte> memory,
        ReadOnlySpan<byte> data, ref int at, ReadOnlySpan<byte> present, bool full, ref OffsetBlock block)
    {
        var (array, start) = block.Next();
        LocateImage(context, table, widths, data, ref at, present, full, array.AsSpan(start, table.Length));
        return new RowImage(rows, table, memory, array, start);
    }

    /// <summary>
    /// The after image of PARTIAL_UPDATE_ROWS (MySQL source: sql/rpl_record.cc, pack_row/unpack_row): a packed
    /// value_options; with PARTIAL_JSON_UPDATES (1), one bit per JSON column of the image saying it holds a diff vector.
    /// </summary>
    private static RowImage ReadPartialImage(RowsEvent rows, RowsEventContext context, ColumnDefinition[] table, int[] widths,
        ReadOnlyMemory<byte> memory, ReadOnlySpan<byte> data, ref int at, ReadOnlySpan<byte> present)
    {
        var partial = ReadPartialOptions(context, table, data, ref at, present);
        var offsets = new int[table.Length];
        Locate(context, table, widths, data, ref at, present, offsets, partial);
        return new RowImage(rows, table, memory, offsets, 0, partial);
    }

    /// <summary>The value_options ahead of a PARTIAL_UPDATE_ROWS after image: which JSON columns hold diffs (null: none).</summary>
    internal static bool[]? ReadPartialOptions(RowsEventContext context, ColumnDefinition[] table, ReadOnlySpan<byte> data, ref int at, ReadOnlySpan<byte> present)
    {
        var reader = new Protocol.PayloadReader(data[at..]);
        ulong options;
        try
        {
            options = reader.ReadLengthEncodedInteger();
        }
        catch (BinlogFormatException e)
        {
            throw Error(context, at, e.Message, e);
        }
        at += reader.Offset;
        bool[]? partial = null;
        if ((options & 1) != 0)
        {
            var jsonColumns = new List<int>();
            for (var i = 0; i < table.Length; i++)
                if (table[i].Type == ColumnType.Json && (present[i >> 3] & (1 << (i & 7))) != 0) jsonColumns.Add(i);
            var bytes = (jsonColumns.Count + 7) / 8;
            if (at + bytes > data.Length) throw Error(context, at, "partial-JSON bitmap is cut off");
            partial = new bool[table.Length];
            for (var k = 0; k < jsonColumns.Count; k++)
                partial[jsonColumns[k]] = (data[at + (k >> 3)] & (1 << (k & 7))) != 0;
            at += bytes;
        }
        return partial;
    }

    /// <summary>Which images of a rows event of <paramref name="kind"/> are full (<see cref="IsFull"/>): the fast locator may take those.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (bool Before, bool After) FullImages(RowsEventKind kind, ReadOnlySpan<byte> present, ReadOnlySpan<byte> presentAfter, int columns) =>
        (kind is not RowsEventKind.PartialUpdate && IsFull(present, columns), kind is RowsEventKind.Update && IsFull(presentAfter, columns));

    /// <summary>One image's column offsets: by <see cref="TryLocateFull"/> when <paramref name="full"/> and it can, else by <see cref="Locate"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void LocateImage(RowsEventContext context, ColumnDefinition[] table, int[] widths, ReadOnlySpan<byte> data, ref int at,
        ReadOnlySpan<byte> present, bool full, Span<int> offsets)
    {
        if (!full || !TryLocateFull(data, ref at, widths, offsets)) Locate(context, table, widths, data, ref at, present, offsets);
    }

    /// <summary>
    /// Whether <paramref name="present"/> names exactly the first <paramref name="columns"/> columns (binlog_row_image=FULL,
    /// the common case), so that <see cref="TryLocateFull"/> may locate its images: the same NULL-bitmap length and
    /// column order as <see cref="Locate"/> then reads.
    /// </summary>
    internal static bool IsFull(ReadOnlySpan<byte> present, int columns)
    {
        // Every bit of the first `columns` set and none after: whole bytes 0xFF, the last one exactly its low bits.
        var whole = columns >> 3;
        var rest = columns & 7;
        if (present.Length != whole + (rest == 0 ? 0 : 1)) return false;
        if (present[..whole].ContainsAnyExcept((byte)0xFF)) return false;
        return rest == 0 || present[whole] == (1 << rest) - 1;
    }

    /// <summary>
    /// <see cref="Locate"/> for an image with every column present (<see cref="IsFull"/>) and only fixed widths or 1- to 4-byte
    /// length prefixes (<see cref="ColumnWidths"/>): one tight loop, no per-type work. False, with <paramref name="at"/> unchanged,
    /// for anything else (other widths, bytes cut off): <see cref="Locate"/> then does it, or says what is wrong.
    /// </summary>
    internal static bool TryLocateFull(ReadOnlySpan<byte> data, ref int at, ReadOnlySpan<int> widths, Span<int> offsets)
    {
        var count = offsets.Length;
        if (widths.Length < count) return false;
        var length = (uint)data.Length;
        var position = at + ((count + 7) >> 3);
        if ((uint)position > length) return false;
        ref var bytes = ref MemoryMarshal.GetReference(data);
        ref var nulls = ref Unsafe.Add(ref bytes, at);
        ref var width = ref MemoryMarshal.GetReference(widths);
        ref var offset = ref MemoryMarshal.GetReference(offsets);
        // Invariant: position <= length, so the loads below stay within the data.
        for (var i = 0; i < count; i++)
        {
            if ((Unsafe.Add(ref nulls, i >> 3) & (1 << (i & 7))) != 0)
            {
                Unsafe.Add(ref offset, i) = RowImage.NullValue;
                continue;
            }
            Unsafe.Add(ref offset, i) = position;
            var size = Unsafe.Add(ref width, i);
            if (size < 0)
            {
                if (size == ColumnWidths.LengthByte && (uint)position < length)
                    size = 1 + Unsafe.Add(ref bytes, position);
                else if (size == ColumnWidths.LengthUInt16 && (uint)position + 2 <= length)
                    size = 2 + (Unsafe.Add(ref bytes, position) | Unsafe.Add(ref bytes, position + 1) << 8);
                else if (size == ColumnWidths.LengthUInt24 && (uint)position + 3 <= length)
                    size = 3 + (Unsafe.Add(ref bytes, position) | Unsafe.Add(ref bytes, position + 1) << 8 | Unsafe.Add(ref bytes, position + 2) << 16);
                else if (size == ColumnWidths.LengthUInt32 && (uint)position + 4 <= length
                    && BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(position, 4)) is var long32 && long32 <= length)
                    size = 4 + (int)long32;
                else
                    return false;
            }
            // Both below 2^31 + 4: the sum as uint is exact.
            if ((uint)position + (uint)size > length) return false;
            position += size;
        }
        at = position;
        return true;
    }

    /// <summary>Fills the start offset of every column (or Absent/NullValue) and advances past the image.</summary>
    internal static void Locate(RowsEventContext context, ColumnDefinition[] table, int[] widths, ReadOnlySpan<byte> data, ref int at,
        ReadOnlySpan<byte> present, Span<int> offsets, bool[]? partialJson = null)
    {
        var presentCount = 0;
        foreach (var b in present) presentCount += BitOperations.PopCount(b);
        var nullBytes = (presentCount + 7) / 8;
        if (at + nullBytes > data.Length) throw Error(context, at, $"row NULL bitmap of {nullBytes} bytes is cut off");
        var nulls = data.Slice(at, nullBytes);
        at += nullBytes;
        // The exception handler sits outside the per-column loop, which then keeps its locals in registers.
        try
        {
            LocateValues(context, table, widths, data, ref at, present, nulls, offsets, partialJson);
        }
        catch (BinlogFormatException e) when (e.EventType == null)
        {
            throw Error(context, at, e.Message, e);
        }
    }

    private static void LocateValues(RowsEventContext context, ColumnDefinition[] table, int[] widths, ReadOnlySpan<byte> data, ref int at,
        ReadOnlySpan<byte> present, ReadOnlySpan<byte> nulls, Span<int> offsets, bool[]? partialJson)
    {
        var n = 0;
        var position = at;
        var count = Math.Min(table.Length, widths.Length);
        for (var i = 0; i < count; i++)
        {
            if ((present[i >> 3] & (1 << (i & 7))) == 0)
            {
                offsets[i] = RowImage.Absent;
                continue;
            }
            var isNull = (nulls[n >> 3] & (1 << (n & 7))) != 0;
            n++;
            if (isNull)
            {
                offsets[i] = RowImage.NullValue;
                continue;
            }
            offsets[i] = position;
            var length = widths[i];
            if (length < 0 || partialJson != null)
            {
                at = position; // where a failing value starts, for the error message
                length = partialJson != null && partialJson[i]
                    ? 4 + (int)Math.Min(int.MaxValue - 4, new Protocol.PayloadReader(data[position..]).ReadUInt32())
                    : ColumnWidths.Length(length, table[i], data, position);
                if (length < 0)
                    throw Error(context, position, $"length of column {table[i]} is cut off at the end of the row data");
            }
            if (length > data.Length - position)
                throw Error(context, position, $"value of column {table[i]} needs {length} bytes, {data.Length - position} left");
            position += length;
        }
        at = position;
    }

    private static BinlogFormatException Error(RowsEventContext context, int at, string message, Exception? inner = null)
    {
        var text = $"{context.Describe()}: at row byte {at}: {message}";
        return inner == null ? new BinlogFormatException(text) { EventType = context.EventType }
            : new BinlogFormatException(text, inner) { EventType = context.EventType };
    }
}
