using System.Globalization;
using Dm.Binlog.Events;
using Dm.Binlog.Rows;
using Dm.Binlog.Rows.Json;

namespace Dm.Binlog.Tests;

/// <summary>
/// Holds the allocation-free value path (<see cref="RowImage.Read"/>, <see cref="RowsEvent.ReadRows"/>) to
/// exactly what <see cref="RowImage.GetValue"/> decodes, value by value.
/// </summary>
internal static class FastPathAgreement
{
    /// <summary>Mismatches between the two paths over every present value of every row of the events (empty = agreement).</summary>
    public static List<string> Check(IEnumerable<RowsEvent> events)
    {
        var mismatches = new List<string>();
        Span<int> scratch = stackalloc int[2 * 4096]; // room for the widest table: no array per event
        foreach (var ev in events)
        {
            var changes = ev.Rows;
            var reader = ev.ReadRows(scratch);
            var row = 0;
            while (reader.MoveNext())
            {
                if (row >= changes.Count) { mismatches.Add($"{ev.Where}: ReadRows yields more rows than Rows ({changes.Count})"); break; }
                CompareImage($"{ev.Where} row {row} before", changes[row].Before, reader.Before, mismatches);
                CompareImage($"{ev.Where} row {row} after", changes[row].After, reader.After, mismatches);
                row++;
            }
            if (row != changes.Count) mismatches.Add($"{ev.Where}: ReadRows yields {row} rows, Rows {changes.Count}");
        }
        return mismatches;
    }

    private static void CompareImage(string what, RowImage? image, RowImageView view, List<string> mismatches)
    {
        if (image == null || !view.Exists)
        {
            if ((image == null) != !view.Exists) mismatches.Add($"{what}: image exists in one path only");
            return;
        }
        for (var i = 0; i < image.ColumnCount; i++)
        {
            if (image.IsPresent(i) != view.IsPresent(i) || image.IsNull(i) != view.IsNull(i) || image.IsJsonDiff(i) != view.IsJsonDiff(i))
            {
                mismatches.Add($"{what} column {image.Column(i)}: presence/NULL/diff flags differ");
                continue;
            }
            if (!image.IsPresent(i)) continue;
            var expected = image.GetValue(i);
            image.Read(i, out var fromImage);
            view.Read(i, out var fromView);
            var a = Describe(fromImage);
            var b = Describe(fromView);
            var problem = a != b ? $"RowImage.Read gives {a}, RowImageView.Read gives {b}" : Disagreement(expected, fromImage);
            if (problem != null) mismatches.Add($"{what} column {image.Column(i)}: {problem}");
        }
    }

    /// <summary>Null when <paramref name="value"/> is exactly <paramref name="expected"/> (the GetValue result), else why not.</summary>
    public static string? Disagreement(object? expected, in ColumnValue value)
    {
        var actual = Describe(value);
        var wanted = Describe(expected, value.Column);
        return actual == wanted ? null : $"fast path {actual}, GetValue {wanted}";
    }

    /// <summary>The fast-path value as typed text, built only from the ColumnValue accessors.</summary>
    public static string Describe(in ColumnValue value)
    {
        var column = value.Column;
        switch (value.Kind)
        {
            case ColumnValueKind.Null: return "NULL";
            case ColumnValueKind.Int64: return "int " + value.Int64.ToString(CultureInfo.InvariantCulture);
            case ColumnValueKind.UInt64: return "int " + value.UInt64.ToString(CultureInfo.InvariantCulture);
            case ColumnValueKind.Single: return "float " + BitConverter.SingleToInt32Bits(value.Single).ToString("X8", CultureInfo.InvariantCulture);
            case ColumnValueKind.Double: return "double " + BitConverter.DoubleToInt64Bits(value.Double).ToString("X16", CultureInfo.InvariantCulture);
            case ColumnValueKind.Decimal:
            {
                Span<char> buffer = stackalloc char[PackedDecimal.MaxTextLength];
                var text = new string(buffer[..value.FormatDecimal(buffer)]);
                if (value.TryGetDecimalUnscaled(out var unscaled))
                {
                    // The unscaled integer must be the text without its point.
                    var digits = Int128.Parse(text.Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                    if (digits != unscaled && !(digits == 0 && unscaled == 0)) return $"decimal {text} but unscaled {unscaled}";
                }
                else if (value.DecimalPrecision <= 38) return $"decimal {text} without an unscaled integer";
                return "decimal " + text;
            }
            case ColumnValueKind.DateTime: return "datetime " + value.DateTime;
            case ColumnValueKind.Time: return "time " + value.Time.Ticks.ToString(CultureInfo.InvariantCulture);
            case ColumnValueKind.Text: return "text " + value.Encoding.GetString(value.Bytes);
            case ColumnValueKind.Binary:
            {
                var padded = new byte[value.PaddedLength];
                value.Bytes.CopyTo(padded);
                return "bytes " + Convert.ToHexString(padded);
            }
            case ColumnValueKind.Enum: return column.EnumValues != null ? "text " + value.EnumName : "int " + value.Int64.ToString(CultureInfo.InvariantCulture);
            case ColumnValueKind.Set:
            {
                var bits = value.UInt64;
                return column.SetValues is { } names
                    ? "text " + string.Join(",", names.Where((_, i) => i < 64 && (bits & (1UL << i)) != 0))
                    : "int " + bits.ToString(CultureInfo.InvariantCulture);
            }
            case ColumnValueKind.Json: return "text " + MySqlJsonDecoder.ToJson(value.Bytes);
            case ColumnValueKind.JsonDiff: return "diffs " + string.Join(" ; ", JsonDiff.DecodeVector(value.Bytes));
            default: return "unknown kind " + value.Kind;
        }
    }

    /// <summary>The GetValue result in the same typed text.</summary>
    private static string Describe(object? expected, ColumnDefinition column) => expected switch
    {
        null => "NULL",
        long or int or ulong or byte or ushort or uint or short or sbyte => "int " + Convert.ToString(expected, CultureInfo.InvariantCulture),
        float f => "float " + BitConverter.SingleToInt32Bits(f).ToString("X8", CultureInfo.InvariantCulture),
        double d => "double " + BitConverter.DoubleToInt64Bits(d).ToString("X16", CultureInfo.InvariantCulture),
        MySqlDecimal m => "decimal " + m.Text,
        MySqlDateTime t => "datetime " + t,
        TimeSpan t => "time " + t.Ticks.ToString(CultureInfo.InvariantCulture),
        string s => "text " + s,
        byte[] b => "bytes " + Convert.ToHexString(b),
        IReadOnlyList<JsonDiff> diffs => "diffs " + string.Join(" ; ", diffs),
        _ => $"unexpected {expected.GetType().Name} for {column}",
    };
}
