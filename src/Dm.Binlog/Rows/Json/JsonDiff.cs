using System.Text;
using Dm.Binlog.Protocol;

namespace Dm.Binlog.Rows.Json;

public enum JsonDiffOperation : byte
{
    Replace = 0,
    Insert = 1,
    Remove = 2,
}

/// <summary>
/// One change of a partial JSON update (MySQL binlog_row_value_options=PARTIAL_JSON): JSON_SET/REPLACE/REMOVE
/// at a path, with the new value as JSON text (null for Remove).
/// </summary>
public sealed record JsonDiff(JsonDiffOperation Operation, string Path, string? Value)
{
    /// <summary>
    /// Decodes a diff vector (MySQL source: sql/json_diff.cc, Json_diff_vector::read_binary): a 4-byte
    /// length, then per diff the operation byte, the path (packed length + text) and, unless Remove,
    /// the value (packed length + binary JSON).
    /// </summary>
    public static IReadOnlyList<JsonDiff> DecodeVector(ReadOnlySpan<byte> data)
    {
        var reader = new PayloadReader(data);
        var length = reader.ReadUInt32();
        if (length > reader.Remaining) throw new BinlogFormatException($"JSON diff vector claims {length} bytes, {reader.Remaining} present");
        var diffs = new PayloadReader(reader.ReadBytes((int)length));
        var result = new List<JsonDiff>();
        while (!diffs.IsAtEnd)
        {
            var operation = diffs.ReadByte();
            if (operation > 2) throw new BinlogFormatException($"JSON diff operation {operation} is unknown");
            var path = Encoding.UTF8.GetString(diffs.ReadLengthEncodedBytes());
            string? value = null;
            if (operation != (byte)JsonDiffOperation.Remove) value = MySqlJsonDecoder.ToJson(diffs.ReadLengthEncodedBytes());
            result.Add(new JsonDiff((JsonDiffOperation)operation, path, value));
        }
        return result;
    }
}
