using System.Globalization;
using Dm.Binlog.Rows;

namespace Dm.Binlog.Tests;

/// <summary>Turns a decoded row value into the text MariaDB's CAST(... AS CHAR) / HEX() prints, for comparison with SELECT.</summary>
internal static class ValueText
{
    public static string? Of(ColumnDefinition column, object? value) => value switch
    {
        null => null,
        byte[] bytes => Convert.ToHexString(bytes),
        MySqlDecimal d => d.Text,
        MySqlDateTime dt => column.Type is ColumnType.Date or ColumnType.NewDate
            ? dt.ToString(withTime: false, 0)
            : dt.ToString(withTime: true, Fsp(column)),
        TimeSpan t => Time(t, Fsp(column)),
        int year when column.Type == ColumnType.Year => year == 0 ? "0000" : year.ToString(CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static int Fsp(ColumnDefinition column) =>
        column.Type is ColumnType.Time2 or ColumnType.DateTime2 or ColumnType.Timestamp2 ? column.Metadata : column.LegacyFractionalDigits ?? 0;

    private static string Time(TimeSpan t, int fsp)
    {
        var negative = t < TimeSpan.Zero;
        if (negative) t = -t;
        var hours = (long)t.TotalHours;
        var text = $"{(negative ? "-" : "")}{hours:D2}:{t.Minutes:D2}:{t.Seconds:D2}";
        var micro = (int)(t.Ticks % TimeSpan.TicksPerSecond / 10);
        return fsp > 0 ? text + "." + micro.ToString("D6")[..fsp] : text;
    }
}
