using System.Text;
using Dm.Binlog.Protocol;
using Dm.Binlog.Rows;

namespace Dm.Binlog.Events;

/// <summary>
/// TABLE_MAP_EVENT: binds a table id to a table and describes its columns for the rows events that
/// follow (MySQL source: libbinlogevents/src/rows_event.cpp, Table_map_event; optional metadata
/// per Table_map_event::Optional_metadata_field_type).
/// </summary>
public sealed class TableMapEvent : BinlogEvent
{
    public ulong TableId { get; init; }
    public ushort Flags { get; init; }
    public string Database { get; init; } = "";
    public string Table { get; init; } = "";
    public ColumnDefinition[] Columns { get; init; } = [];

    private int[]? _widths;

    /// <summary>Every column's value width, worked out once per map (see <see cref="ColumnWidths"/>).</summary>
    internal int[] ValueWidths
    {
        get => _widths ??= ColumnWidths.For(Columns);
        init => _widths = value;
    }

    /// <summary>The event body as read, to recognise the same map when a later transaction repeats it.</summary>
    internal byte[] Body { get; set; } = [];

    /// <summary>Whether the optional metadata named the columns (binlog_row_metadata=FULL).</summary>
    public bool HasColumnNames => Columns.Length > 0 && Columns[0].Name != null;

    internal static TableMapEvent Parse(ReadOnlySpan<byte> body, int postHeaderLength)
    {
        var reader = new PayloadReader(body);
        var tableId = postHeaderLength == 6 ? reader.ReadUInt32() : reader.ReadUInt48();
        var flags = reader.ReadUInt16();
        var database = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadByte()));
        reader.ReadByte();
        var table = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadByte()));
        reader.ReadByte();
        var count = reader.ReadLengthEncodedLength();
        var types = reader.ReadBytes(count);
        var metadata = new PayloadReader(reader.ReadLengthEncodedBytes());
        var nullBitmap = reader.ReadBytes((count + 7) / 8);

        var columns = new ColumnDefinition[count];
        for (var i = 0; i < count; i++)
        {
            var binlogType = (ColumnType)types[i];
            var (type, meta, maxLength) = ReadColumnMetadata(binlogType, ref metadata);
            Validate(i, type, meta);
            columns[i] = new ColumnDefinition
            {
                Index = i,
                BinlogType = binlogType,
                Type = type,
                Metadata = meta,
                MaxLength = maxLength,
                IsNullable = (nullBitmap[i >> 3] & (1 << (i & 7))) != 0,
            };
        }
        if (!reader.IsAtEnd) OptionalMetadata.Apply(columns, reader.ReadToEnd());
        foreach (var column in columns) column.FastRead = ColumnValueReader.FastReadCode(column);
        return new TableMapEvent { TableId = tableId, Flags = flags, Database = database, Table = table, Columns = columns };
    }

    /// <summary>Rejects metadata no server writes, so that row decoding can rely on it.</summary>
    private static void Validate(int index, ColumnType type, ushort meta)
    {
        var bad = type switch
        {
            ColumnType.NewDecimal => (meta >> 8) is < 1 or > 65 || (meta & 0xFF) > 30 || (meta & 0xFF) > (meta >> 8),
            ColumnType.Timestamp2 or ColumnType.DateTime2 or ColumnType.Time2 => meta > 6,
            ColumnType.Blob or ColumnType.TinyBlob or ColumnType.MediumBlob or ColumnType.LongBlob or ColumnType.Geometry
                or ColumnType.Json or ColumnType.Vector => meta is < 1 or > 4,
            ColumnType.Bit => (meta >> 8) > 7 || (meta & 0xFF) > 8,
            ColumnType.Enum => (meta & 0xFF) is < 1 or > 2,
            ColumnType.Set => (meta & 0xFF) is < 1 or > 8,
            ColumnType.Float => meta != 4,
            ColumnType.Double => meta != 8,
            _ => false,
        };
        if (bad) throw new BinlogFormatException($"column {index} of type {type} has invalid metadata 0x{meta:X4}");
    }

    /// <summary>Reads one column's metadata bytes (Table_map_event field metadata, per type).</summary>
    private static (ColumnType Type, ushort Meta, int MaxLength) ReadColumnMetadata(ColumnType type, ref PayloadReader metadata)
    {
        switch (type)
        {
            case ColumnType.Float:
            case ColumnType.Double:
            case ColumnType.Blob:
            case ColumnType.TinyBlob:
            case ColumnType.MediumBlob:
            case ColumnType.LongBlob:
            case ColumnType.Geometry:
            case ColumnType.Json:
            case ColumnType.Vector:
            case ColumnType.Timestamp2:
            case ColumnType.DateTime2:
            case ColumnType.Time2:
                return (type, metadata.ReadByte(), 0);
            case ColumnType.VarChar:
            case ColumnType.VarString:
            {
                var max = metadata.ReadUInt16();
                return (type, max, max);
            }
            case ColumnType.Bit:
            case ColumnType.NewDecimal:
            {
                // Two bytes in order: (bits % 8, bytes) for BIT, (precision, scale) for DECIMAL.
                var first = metadata.ReadByte();
                var second = metadata.ReadByte();
                return (type, (ushort)(first << 8 | second), 0);
            }
            case ColumnType.String:
            case ColumnType.Enum:
            case ColumnType.Set:
            {
                // Real type in the first byte; CHAR lengths over 255 keep their top bits in it (Field_string::do_save_field_metadata).
                var first = metadata.ReadByte();
                var second = metadata.ReadByte();
                var meta = (ushort)(first << 8 | second);
                if ((first & 0x30) != 0x30)
                {
                    var length = second | (((first & 0x30) ^ 0x30) << 4);
                    return (ColumnType.String, meta, length);
                }
                var real = (ColumnType)first;
                return (real is ColumnType.Enum or ColumnType.Set ? real : ColumnType.String, meta, second);
            }
            default:
                return (type, 0, 0);
        }
    }
}
