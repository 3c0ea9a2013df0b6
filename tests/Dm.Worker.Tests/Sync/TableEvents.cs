using System.Buffers.Binary;
using Dm.Binlog.Events;
using Dm.Binlog.Replication;
using Dm.Sql.Tracking;

namespace Dm.Worker.Tests.Sync;

/// <summary>
/// Binlog events of one tracked table as the replication client yields them, for Sync's unit tests: the table's TABLE_MAP and
/// WRITE/UPDATE/DELETE_ROWS (v2) events are written as bytes and decoded by Dm.Binlog's decoder. Columns may be INT, BIGINT or
/// VARCHAR (values: numbers, strings, null); like a binlog without optional metadata, VARCHAR values decode as bytes.
/// </summary>
internal sealed class TableEvents
{
    private const ulong TableId = 91;
    private readonly BinlogEventDecoder _decoder = new();
    private readonly ColumnType[] _types;

    private enum ColumnType : byte
    {
        Long = 3,
        LongLong = 8,
        VarChar = 15,
    }

    public TableEvents(TableInfo table)
    {
        Table = table;
        _types = [.. table.Columns.Select(c => c.Type.Name.ToUpperInvariant() switch
        {
            "INT" => ColumnType.Long,
            "BIGINT" => ColumnType.LongLong,
            "VARCHAR" => ColumnType.VarChar,
            var other => throw new NotSupportedException($"test tables have INT, BIGINT and VARCHAR columns, not {other}"),
        })];
        _decoder.Decode(Event(BinlogEventType.TableMap, 0, w =>
        {
            WriteTableId(w);
            w.Write((ushort)1); // flags
            WriteCounted(w, System.Text.Encoding.UTF8.GetBytes(table.Schema));
            w.Write((byte)0);
            WriteCounted(w, System.Text.Encoding.UTF8.GetBytes(table.Name));
            w.Write((byte)0);
            w.Write((byte)_types.Length);
            foreach (var type in _types) w.Write((byte)type);
            var varChars = _types.Count(t => t == ColumnType.VarChar);
            w.Write((byte)(2 * varChars));
            for (var i = 0; i < varChars; i++) w.Write((ushort)255); // max length in bytes: a one-byte length prefix
            w.Write(new byte[Bitmap]); // NULL-able bitmap (the decoder does not need it)
        }));
    }

    public TableInfo Table { get; }

    /// <summary>A tracked table, from its CREATE TABLE.</summary>
    public static TableInfo Track(string schema, string createTableSql)
    {
        var tracker = new SchemaTracker();
        tracker.SetTable(schema, createTableSql);
        var name = ((Dm.Sql.Ast.CreateTableStatement)Dm.Sql.Parsing.SqlParser.Parse(createTableSql)).Table.Name;
        return tracker.GetTable(schema, name)!;
    }

    public RowsEvent Insert(params object?[][] rows) => Rows(BinlogEventType.WriteRowsV2, rows.Select(r => (r, (object?[]?)null)));

    public RowsEvent Delete(params object?[][] rows) => Rows(BinlogEventType.DeleteRowsV2, rows.Select(r => (r, (object?[]?)null)));

    public RowsEvent Update(params (object?[] Before, object?[] After)[] rows) =>
        Rows(BinlogEventType.UpdateRowsV2, rows.Select(r => (r.Before, (object?[]?)r.After)));

    /// <summary>Gives <paramref name="ev"/> the position only the replication client sets (where to resume after it).</summary>
    public static T At<T>(T ev, BinlogPosition position) where T : BinlogEvent
    {
        typeof(BinlogEvent).GetProperty(nameof(BinlogEvent.ResumePosition))!.SetValue(ev, position);
        return ev;
    }

    /// <summary>The upstream time events are logged at (seconds since the epoch).</summary>
    public uint Timestamp { get; set; } = 1_700_000_000;

    private int Bitmap => (_types.Length + 7) / 8;

    private RowsEvent Rows(BinlogEventType type, IEnumerable<(object?[] First, object?[]? Second)> rows) =>
        (RowsEvent)_decoder.Decode(Event(type, Timestamp, w =>
        {
            WriteTableId(w);
            w.Write((ushort)1); // STMT_END_F
            w.Write((ushort)2); // extra data: none (the length counts itself)
            w.Write((byte)_types.Length);
            var all = Enumerable.Repeat((byte)0xFF, Bitmap).ToArray();
            w.Write(all);
            if (type == BinlogEventType.UpdateRowsV2) w.Write(all);
            foreach (var (first, second) in rows)
            {
                WriteImage(w, first);
                if (second is not null) WriteImage(w, second);
            }
        }));

    private void WriteImage(BinaryWriter w, object?[] values)
    {
        if (values.Length != _types.Length) throw new ArgumentException($"{values.Length} values for {_types.Length} columns");
        var nulls = new byte[Bitmap];
        for (var i = 0; i < values.Length; i++)
            if (values[i] is null) nulls[i / 8] |= (byte)(1 << (i % 8));
        w.Write(nulls);
        for (var i = 0; i < values.Length; i++)
        {
            switch (values[i])
            {
                case null: break;
                case string text: WriteCounted(w, System.Text.Encoding.UTF8.GetBytes(text)); break;
                case var number when _types[i] == ColumnType.Long: w.Write(Convert.ToInt32(number)); break;
                case var number: w.Write(Convert.ToInt64(number)); break;
            }
        }
    }

    private static void WriteTableId(BinaryWriter w)
    {
        w.Write((uint)TableId);
        w.Write((ushort)(TableId >> 32));
    }

    private static void WriteCounted(BinaryWriter w, byte[] bytes)
    {
        w.Write((byte)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>A whole event: the 19-byte header (size filled in), the body, no checksum.</summary>
    private static byte[] Event(BinlogEventType type, uint timestamp, Action<BinaryWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(timestamp);
            w.Write((byte)type);
            w.Write(1u); // server id
            w.Write(0u); // size, below
            w.Write(0u); // next position: unknown
            w.Write((ushort)0); // flags
            body(w);
        }
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(9), (uint)bytes.Length);
        return bytes;
    }
}
