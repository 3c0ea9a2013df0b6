using System.Globalization;
using Dm.Binlog.Rows;
using Dm.Core.Errors;

namespace Dm.Worker.Sync;

/// <summary>
/// Turns decoded binlog values into parameters MySqlConnector writes as literals the target reads back
/// exactly: dates and times as text in the column's own shape, decimals as exact text (C# decimal when it
/// round-trips), TIME beyond a day as "[-]h:mm:ss.ffffff".
/// </summary>
internal static class BinlogValues
{
    /// <param name="table">The tracked table: without TABLE_MAP signedness metadata (binlog_row_metadata=MINIMAL, MariaDB's
    /// default) integers decode as signed, so the tracker's UNSIGNED turns negative values back into their unsigned meaning.</param>
    public static object?[] Read(RowImage image, Dm.Sql.Tracking.TableInfo table)
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
            values[i] = value;
        }
        return values;
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
