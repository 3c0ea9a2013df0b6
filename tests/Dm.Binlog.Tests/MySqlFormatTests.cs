using System.Buffers.Binary;
using Dm.Binlog.Events;
using Dm.Binlog.Rows;
using Dm.Binlog.Rows.Json;
using static Dm.Binlog.Tests.MySqlJsonBuilder;

namespace Dm.Binlog.Tests;

/// <summary>
/// MySQL-only formats (MariaDB never produces them) decoded from byte sequences built per the MySQL
/// documentation and source named in each test.
/// </summary>
public sealed class MySqlFormatTests
{
    // sql/json_binary.h: small and large objects/arrays, inlined literals and int16, strings with 7-bit lengths.
    [Fact]
    public void BinaryJsonDecodesToMySqlText()
    {
        var doc = Obj(("a", (short)1), ("b", new object?[] { true, null, "x\"y\n" }), ("c", 3.5), ("d", Obj()), ("e", -70000), ("f", long.MinValue), ("g", ulong.MaxValue), ("h", 2.0));
        const string expected = "{\"a\": 1, \"b\": [true, null, \"x\\\"y\\n\"], \"c\": 3.5, \"d\": {}, \"e\": -70000, \"f\": -9223372036854775808, \"g\": 18446744073709551615, \"h\": 2.0}";
        Assert.Equal(expected, MySqlJsonDecoder.ToJson(Document(doc)));
        Assert.Equal(expected, MySqlJsonDecoder.ToJson(Document(doc, large: true)));
        Assert.Equal("[]", MySqlJsonDecoder.ToJson(Document(Array.Empty<object?>())));
        Assert.Equal("\"😀 " + new string('z', 300) + "\"", MySqlJsonDecoder.ToJson(Document("😀 " + new string('z', 300))));
        Assert.Equal("null", MySqlJsonDecoder.ToJson([]));
    }

    // sql/json_binary.h "opaque": field type, length, then the field's binary form (DECIMAL: precision, scale, decimal2bin;
    // DATETIME: the packed int64 of sql-common/my_time.cc TIME_to_longlong_datetime_packed).
    [Fact]
    public void BinaryJsonOpaqueDecimalAndDateTime()
    {
        // DECIMAL(5,2) 123.45 = 0x80 0x7B 0x2D
        var decimalValue = Document(((byte)246, new byte[] { 5, 2, 0x80, 0x7B, 0x2D }));
        Assert.Equal("123.45", MySqlJsonDecoder.ToJson(decimalValue));
        // 2024-02-29 12:34:56.5: ((year*13+month) << 5 | day) << 17 | hour << 12 | minute << 6 | second, << 24 | micro
        long ymd = ((2024L * 13 + 2) << 5) | 29;
        var packed = ((ymd << 17 | 12L << 12 | 34L << 6 | 56) << 24) | 500000;
        var dateTime = Document(((byte)12, BitConverter.GetBytes(packed)));
        Assert.Equal("\"2024-02-29 12:34:56.500000\"", MySqlJsonDecoder.ToJson(dateTime));
        var blob = Document(((byte)252, new byte[] { 1, 2, 3 }));
        Assert.Equal("\"base64:type252:AQID\"", MySqlJsonDecoder.ToJson(blob));
    }

    [Fact]
    public void BinaryJsonRejectsBadOffsetsWithAFormatError()
    {
        var doc = Document(Obj(("a", "text")));
        doc[^6] = 0xFF; // the string's offset now points far away
        Assert.Throws<BinlogFormatException>(() => MySqlJsonDecoder.ToJson(doc.AsSpan(0, doc.Length - 3)));
        Assert.Throws<BinlogFormatException>(() => MySqlJsonDecoder.ToJson([0x00, 5, 0, 200, 0]));
        Assert.Throws<BinlogFormatException>(() => MySqlJsonDecoder.ToJson([0x0E]));
    }

    // libbinlogevents/include/rows_event.h (Table_map_event, Rows_event v2) with a MYSQL_TYPE_JSON (245) column,
    // metadata = 4 (length bytes).
    [Fact]
    public void JsonColumnInRowsEvent()
    {
        var decoder = new BinlogEventDecoder { Checksum = ChecksumAlgorithm.Crc32 };
        decoder.Decode(EventBytes.Build(BinlogEventType.TableMap, EventBytes.TableMap(77, "db", "t", [3, 245], [4], [0b10])));
        var json = Document(new object?[] { (short)1, "two" });
        var row = new List<byte> { 0 }; // null bitmap: nothing NULL
        row.AddRange(BitConverter.GetBytes(42));
        row.AddRange(BitConverter.GetBytes(json.Length));
        row.AddRange(json);
        var ev = (RowsEvent)decoder.Decode(EventBytes.Build(BinlogEventType.WriteRowsV2, EventBytes.RowsV2(77, 2, [.. row])));
        var after = Assert.Single(ev.Rows).After!;
        Assert.Equal(42L, after.GetValue(0));
        Assert.Equal("[1, \"two\"]", after.GetValue(1));
        Assert.Empty(FastPathAgreement.Check([ev]));
        Assert.True(after.Read(1, out var jsonValue));
        Assert.Equal(ColumnValueKind.Json, jsonValue.Kind);
    }

    // PARTIAL_UPDATE_ROWS_EVENT (39): after image = value_options (packed int, 1 = PARTIAL_JSON_UPDATES), one bit per
    // JSON column, NULL bitmap, values; a partial column holds a diff vector (sql/json_diff.cc Json_diff_vector::read_binary:
    // 4-byte length, then per diff: operation, packed path length + path, packed value length + binary JSON).
    [Fact]
    public void PartialJsonUpdateDecodesTheDiffs()
    {
        var decoder = new BinlogEventDecoder { Checksum = ChecksumAlgorithm.Crc32 };
        decoder.Decode(EventBytes.Build(BinlogEventType.TableMap, EventBytes.TableMap(5, "db", "t", [3, 245], [4], [0])));
        var before = Document(Obj(("a", (short)1), ("b", "old")));
        var newValue = Document("new");
        var diffs = new List<byte> { 0, 3 }; // Replace, path length 3
        diffs.AddRange("$.b"u8.ToArray());
        diffs.Add((byte)newValue.Length);
        diffs.AddRange(newValue);
        diffs.Add(2); diffs.Add(3); diffs.AddRange("$.a"u8.ToArray()); // Remove
        var row = new List<byte> { 0 };
        row.AddRange(BitConverter.GetBytes(7));
        row.AddRange(BitConverter.GetBytes(before.Length));
        row.AddRange(before);
        row.Add(1); // value_options = PARTIAL_JSON_UPDATES
        row.Add(0b1); // the JSON column is partial
        row.Add(0); // null bitmap
        row.AddRange(BitConverter.GetBytes(7));
        row.AddRange(BitConverter.GetBytes(diffs.Count));
        row.AddRange(diffs);
        var ev = (RowsEvent)decoder.Decode(EventBytes.Build(BinlogEventType.PartialUpdateRows, EventBytes.RowsV2(5, 2, [.. row], update: true)));
        Assert.Equal(RowsEventKind.PartialUpdate, ev.Kind);
        var change = Assert.Single(ev.Rows);
        Assert.Equal("{\"a\": 1, \"b\": \"old\"}", change.Before!.GetValue(1));
        Assert.True(change.After!.IsJsonDiff(1));
        var list = Assert.IsAssignableFrom<IReadOnlyList<JsonDiff>>(change.After.GetValue(1));
        Assert.Equal([new JsonDiff(JsonDiffOperation.Replace, "$.b", "\"new\""), new JsonDiff(JsonDiffOperation.Remove, "$.a", null)], list);
        Assert.Empty(FastPathAgreement.Check([ev]));
        Assert.True(change.After.Read(1, out var diff));
        Assert.Equal(ColumnValueKind.JsonDiff, diff.Kind);
    }

    // libbinlogevents/src/control_events.cpp Gtid_event: flags, SID (16), GNO (8), logical timestamp typecode 2,
    // last_committed, sequence_number, immediate commit ts (7 bytes, top bit = original ts follows), transaction length
    // (packed), immediate server version (4 bytes, top bit = original version follows).
    [Fact]
    public void MySqlGtidEventWithEveryField()
    {
        var sid = Convert.FromHexString("3E11FA4771CA11E19E33C80AA9429562");
        var body = new List<byte> { 1 };
        body.AddRange(sid);
        body.AddRange(BitConverter.GetBytes(23L));
        body.Add(2);
        body.AddRange(BitConverter.GetBytes(10L));
        body.AddRange(BitConverter.GetBytes(11L));
        body.AddRange(BitConverter.GetBytes(1_700_000_000_123456UL | 1UL << 55)[..7]);
        body.AddRange(BitConverter.GetBytes(1_600_000_000_000000UL)[..7]);
        body.AddRange([0xFC, 0x10, 0x27]); // transaction length 10000
        body.AddRange(BitConverter.GetBytes(80036u | 0x80000000u));
        body.AddRange(BitConverter.GetBytes(50744u));
        var ev = (MySqlGtidEvent)new BinlogEventDecoder().Decode(EventBytes.Build(BinlogEventType.Gtid, [.. body], checksum: false));
        Assert.Equal("3e11fa47-71ca-11e1-9e33-c80aa9429562:23", ev.Gtid);
        Assert.Equal(10L, ev.LastCommitted);
        Assert.Equal(11L, ev.SequenceNumber);
        Assert.Equal(1_700_000_000_123456UL, ev.ImmediateCommitTimestamp);
        Assert.Equal(1_600_000_000_000000UL, ev.OriginalCommitTimestamp);
        Assert.Equal(10000UL, ev.TransactionLength);
        Assert.Equal(80036u, ev.ImmediateServerVersion);
        Assert.Equal(50744u, ev.OriginalServerVersion);

        // A 5.7-style event stops after the logical timestamps; an anonymous one has a zero SID.
        var old = (MySqlGtidEvent)new BinlogEventDecoder().Decode(EventBytes.Build(BinlogEventType.AnonymousGtid, [.. body.Take(42)], checksum: false));
        Assert.True(old.IsAnonymous);
        Assert.Null(old.ImmediateCommitTimestamp);
        Assert.Equal(11L, old.SequenceNumber);
    }

    // PREVIOUS_GTIDS_LOG_EVENT: the encoded GTID set (n_sids, sid, n_intervals, [start, end)).
    [Fact]
    public void PreviousGtidsEvent()
    {
        var set = Gtid.MySqlGtidSet.Parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7,00000000-0000-0000-0000-00000000000b:3");
        var ev = (PreviousGtidsEvent)new BinlogEventDecoder().Decode(EventBytes.Build(BinlogEventType.PreviousGtids, set.Encode(), checksum: false));
        Assert.Equal(set, ev.GtidSet);
    }

    // MySQL 8.0.20 TRANSACTION_PAYLOAD_EVENT (refman "Binary Log Transaction Compression"; source
    // libbinlogevents/src/compression/ and control_events.cpp Transaction_payload_event): header fields as
    // (packed type, packed length, packed value): 2 = compression type (0 = zstd), 3 = uncompressed size,
    // 1 = payload size, 0 = end; then the zstd frame of the transaction's events without checksums.
    [Fact]
    public void TransactionPayloadDecodesItsEvents()
    {
        var begin = EventBytes.Build(BinlogEventType.Query,
            [.. BitConverter.GetBytes(9u), .. BitConverter.GetBytes(0u), 2, 0, 0, 0, 0, .. "db"u8, 0, .. "BEGIN"u8], checksum: false);
        var map = EventBytes.Build(BinlogEventType.TableMap, EventBytes.TableMap(3, "db", "t", [8, 15], [40, 0], [0b10]), checksum: false);
        var rows = EventBytes.Build(BinlogEventType.WriteRowsV2,
            EventBytes.RowsV2(3, 2, [0, .. BitConverter.GetBytes(-5L), 3, .. "abc"u8, 0b10, .. BitConverter.GetBytes(6L)]), checksum: false);
        var xid = EventBytes.Build(BinlogEventType.Xid, BitConverter.GetBytes(99UL), checksum: false);
        byte[] inner = [.. begin, .. map, .. rows, .. xid];
        using var zstd = new ZstdSharp.Compressor();
        var compressed = zstd.Wrap(inner).ToArray();
        var header = new List<byte> { 2, 1, 0 }; // compression type: zstd
        var size = Packed((ulong)inner.Length);
        header.AddRange([3, (byte)size.Length, .. size]);
        var payloadSize = Packed((ulong)compressed.Length);
        header.AddRange([1, (byte)payloadSize.Length, .. payloadSize]);
        header.Add(0);
        var ev = (TransactionPayloadEvent)new BinlogEventDecoder { Checksum = ChecksumAlgorithm.Crc32 }
            .Decode(EventBytes.Build(BinlogEventType.TransactionPayload, [.. header, .. compressed]));
        Assert.Equal(TransactionPayloadEvent.CompressionZstd, ev.CompressionType);
        Assert.Equal([BinlogEventType.Query, BinlogEventType.TableMap, BinlogEventType.WriteRowsV2, BinlogEventType.Xid], ev.Events.Select(e => e.EventType));
        Assert.Equal("BEGIN", ((QueryEvent)ev.Events[0]).Query);
        var changes = ((RowsEvent)ev.Events[2]).Rows;
        Assert.Equal(2, changes.Count);
        Assert.Equal([-5L, "616263"], changes[0].After!.ToArray().Select(v => v is byte[] b ? Convert.ToHexString(b) : v));
        Assert.Equal([6L, null], changes[1].After!.ToArray());
        Assert.Empty(FastPathAgreement.Check([(RowsEvent)ev.Events[2]]));
        Assert.Equal(99UL, ((XidEvent)ev.Events[3]).Xid);

        var damaged = EventBytes.Build(BinlogEventType.TransactionPayload, [.. header, .. compressed.Take(compressed.Length - 3)]);
        var error = Assert.Throws<BinlogFormatException>(() => new BinlogEventDecoder { Checksum = ChecksumAlgorithm.Crc32, LogFile = "binlog.000009" }.Decode(damaged, 1234));
        Assert.Contains("TransactionPayload at binlog.000009:1234", error.Message);
    }

    private static byte[] Packed(ulong value) => value switch
    {
        < 251 => [(byte)value],
        <= 0xFFFF => [0xFC, (byte)value, (byte)(value >> 8)],
        <= 0xFFFFFF => [0xFD, (byte)value, (byte)(value >> 8), (byte)(value >> 16)],
        _ => [0xFE, .. BitConverter.GetBytes(value)],
    };

    [Fact]
    public void DecimalValuesOfEveryShape()
    {
        // decimal2bin (strings/decimal.cc): 9 digits per 4 bytes, leftover digits in 1–4 bytes, sign bit flipped, negatives inverted.
        var column = new ColumnDefinition { Type = ColumnType.NewDecimal, Metadata = (14 << 8) | 4 };
        var positive = new byte[] { 0x81, 0x0D, 0xFB, 0x38, 0xD2, 0x04, 0xD2 }; // 1234567890.1234
        Assert.Equal(7, RowValueDecoder.DecimalLength(14, 4));
        Assert.Equal("1234567890.1234", ((MySqlDecimal)RowValueDecoder.Decode(column, positive)!).Text);
        var negative = positive.Select(b => (byte)~b).ToArray();
        Assert.Equal("-1234567890.1234", ((MySqlDecimal)RowValueDecoder.Decode(column, negative)!).Text);
        Assert.Equal(1234567890.1234m, ((MySqlDecimal)RowValueDecoder.Decode(column, positive)!).ToDecimal());
        BinaryPrimitives.WriteUInt16BigEndian(positive.AsSpan(5), 5);
        Assert.Equal("1234567890.0005", ((MySqlDecimal)RowValueDecoder.Decode(column, positive)!).Text);
        Assert.True(PackedDecimal.TryGetUnscaled(positive, 14, 4, out var unscaled));
        Assert.Equal(12345678900005, unscaled);
        Assert.True(PackedDecimal.TryGetUnscaled(negative, 14, 4, out unscaled));
        Assert.Equal(-12345678901234, unscaled);
        // 65 digits do not fit an Int128: text only.
        Assert.False(PackedDecimal.TryGetUnscaled(new byte[RowValueDecoder.DecimalLength(65, 30)], 65, 30, out _));
    }
}
