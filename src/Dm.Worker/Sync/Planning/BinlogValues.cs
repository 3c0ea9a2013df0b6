using System.Globalization;
using Dm.Binlog.Rows;
using Dm.Core.Errors;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// Turns decoded binlog values into parameters MySqlConnector writes as literals the target reads back
/// exactly: dates and times as text in the column's own shape, decimals as exact text (C# decimal when it
/// round-trips), TIME beyond a day as "[-]h:mm:ss.ffffff", FLOAT as the double of the same value.
/// </summary>
internal static class BinlogValues
{
    /// <param name="table">The tracked table: without TABLE_MAP signedness metadata (binlog_row_metadata=MINIMAL, MariaDB's
    /// default) integers decode as signed, so the tracker's UNSIGNED turns negative values back into their unsigned meaning.</param>
    /// <param name="into">The transaction the image belongs to: marked <see cref="SyncTransaction.Lenient"/> when a value is one
    /// a strict target session refuses although the upstream holds it (the empty ENUM value a non-strict upstream stores).</param>
    public static object?[] Read(RowImage image, Dm.Sql.Tracking.TableInfo table, SyncTransaction? into = null)
    {
        var values = new object?[image.ColumnCount];
        for (var i = 0; i < values.Length; i++)
        {
            if (image.IsJsonDiff(i))
                throw DmErrors.ErrSyncUnitNotSupportedDML.WithMessage(
                    $"column {image.Column(i)} carries a MySQL partial JSON update; run the source with binlog_row_value_options=''");
            var column = image.Column(i);
            var value = image.IsNull(i) || !image.IsPresent(i) ? null : ToParameter(column, image.GetValue(i));
            if (value is long negative && negative < 0 && column.IsUnsigned != true && i < table.Columns.Count && table.Columns[i].Unsigned)
                value = AsUnsigned(column.Type, negative);
            else if (value is byte[] bytes && i < table.Columns.Count && FixedBinaryLength(table.Columns[i]) is { } length && bytes.Length < length)
                value = PadRight(bytes, length);
            values[i] = value;
            if (column.Type == ColumnType.Enum && value is 0L or "" && into is not null) into.Lenient = true;
        }
        return values;
    }

    /// <summary>
    /// The binlog drops trailing zero bytes of fixed-length binary values; BINARY(n), INET6 and UUID need them back
    /// (a short INET6 is not an address at all).
    /// </summary>
    private static int? FixedBinaryLength(Dm.Sql.Tracking.ColumnInfo column) => column.Type.Name.ToUpperInvariant() switch
    {
        "BINARY" => column.Type.Length ?? 1,
        "INET6" or "UUID" => 16,
        "INET4" => 4,
        _ => null,
    };

    private static byte[] PadRight(byte[] bytes, int length)
    {
        var padded = new byte[length];
        bytes.CopyTo(padded, 0);
        return padded;
    }

    private static ulong AsUnsigned(ColumnType type, long value) => type switch
    {
        ColumnType.Tiny => (byte)value,
        ColumnType.Short => (ushort)value,
        ColumnType.Int24 => (ulong)value & 0xFFFFFF,
        ColumnType.Long => (uint)value,
        _ => (ulong)value,
    };

    public static object? ToParameter(ColumnDefinition column, object? value) => value switch
    {
        null => null,
        MySqlDecimal d => ExactDecimal(d.Text),
        MySqlDateTime t => t.ToString(withTime: column.Type is not (ColumnType.Date or ColumnType.NewDate), t.Microsecond == 0 ? 0 : 6),
        TimeSpan span => FormatTime(span),
        // A FLOAT as its exact double: its shortest text ("0.1", what the driver writes) matches no stored row in the
        // WHERE clause of a table without a key.
        float f => (double)f,
        _ => value,
    };

    // A decimal that System.Decimal holds exactly travels as a number (compared as DECIMAL in WHERE clauses);
    // wider ones travel as text, which the target converts exactly when storing.
    private static object ExactDecimal(string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) &&
        Normalize(d.ToString(CultureInfo.InvariantCulture)) == Normalize(text)
            ? d
            : text;

    private static string Normalize(string text)
    {
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        if (body.Contains('.')) body = body.TrimEnd('0').TrimEnd('.');
        body = body.TrimStart('0');
        if (body.Length == 0 || body.StartsWith('.')) body = "0" + body;
        return body == "0" ? "0" : (negative ? "-" : "") + body;
    }

    internal static string FormatTime(TimeSpan span)
    {
        var negative = span < TimeSpan.Zero;
        var abs = negative ? span.Negate() : span;
        var hours = (long)abs.TotalHours;
        var text = $"{(negative ? "-" : "")}{hours}:{abs.Minutes:00}:{abs.Seconds:00}";
        var micros = abs.Ticks % TimeSpan.TicksPerSecond / 10;
        return micros == 0 ? text : text + "." + micros.ToString("000000", CultureInfo.InvariantCulture);
    }
}
