using System.Globalization;

namespace Dm.Sql.Expressions;

/// <summary>
/// Dates and date-times written as text ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS[.ffffff]', as the binlog values and literals
/// come): normalised to one comparable shape, and taken apart for the date functions.
/// </summary>
internal static class Temporal
{
    /// <summary>'YYYY-MM-DD HH:MM:SS.ffffff' for a date or date-time text; false for any other text.</summary>
    public static bool TryNormalize(string text, out string normalized)
    {
        normalized = "";
        if (!TryParts(text, out var p)) return false;
        normalized = string.Create(CultureInfo.InvariantCulture,
            $"{p.Year:0000}-{p.Month:00}-{p.Day:00} {p.Hour:00}:{p.Minute:00}:{p.Second:00}.{p.Micro:000000}");
        return true;
    }

    /// <summary>The fields of a date or date-time text (zero parts allowed, as MySQL stores them).</summary>
    public static bool TryParts(string text, out (int Year, int Month, int Day, int Hour, int Minute, int Second, int Micro) parts)
    {
        parts = default;
        var s = text.AsSpan().Trim();
        if (s.Length < 10 || s[4] != '-' || s[7] != '-') return false;
        if (!Int(s[..4], out var year) || !Int(s[5..7], out var month) || !Int(s[8..10], out var day)) return false;
        int hour = 0, minute = 0, second = 0, micro = 0;
        if (s.Length > 10)
        {
            if (s[10] is not (' ' or 'T') || s.Length < 19 || s[13] != ':' || s[16] != ':') return false;
            if (!Int(s[11..13], out hour) || !Int(s[14..16], out minute) || !Int(s[17..19], out second)) return false;
            if (s.Length > 19)
            {
                if (s[19] != '.' || s.Length > 26 || !Int(s[20..], out micro)) return false;
                for (var i = s.Length - 20; i < 6; i++) micro *= 10;
            }
        }
        if (month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59) return false;
        parts = (year, month, day, hour, minute, second, micro);
        return true;
    }

    /// <summary>A real calendar date-time (none for zero dates and days the month lacks).</summary>
    public static DateTime? ToDateTime(string text) =>
        TryParts(text, out var p) && p.Year > 0 && p.Month > 0 && p.Day > 0 && p.Day <= DateTime.DaysInMonth(p.Year, p.Month)
            ? new DateTime(p.Year, p.Month, p.Day, p.Hour, p.Minute, p.Second, DateTimeKind.Utc).AddTicks(p.Micro * 10L)
            : null;

    private static bool Int(ReadOnlySpan<char> s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
