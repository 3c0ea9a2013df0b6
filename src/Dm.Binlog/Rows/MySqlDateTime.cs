namespace Dm.Binlog.Rows;

/// <summary>
/// A DATE, DATETIME or TIMESTAMP value as MySQL stores it: fields that may be zero ("0000-00-00"),
/// which <see cref="DateTime"/> cannot hold. TIMESTAMP values are in UTC.
/// </summary>
public readonly record struct MySqlDateTime(int Year, int Month, int Day, int Hour, int Minute, int Second, int Microsecond)
{
    public bool IsZero => Year == 0 && Month == 0 && Day == 0 && Hour == 0 && Minute == 0 && Second == 0 && Microsecond == 0;

    /// <summary>Whether <see cref="ToDateTime"/> can represent the value (no zero month/day).</summary>
    public bool IsValidDateTime => Year >= 1 && Month is >= 1 and <= 12 && Day >= 1 && Day <= DateTime.DaysInMonth(Year, Month);

    public DateTime ToDateTime() =>
        new DateTime(Year, Month, Day, Hour, Minute, Second, DateTimeKind.Unspecified).AddTicks(Microsecond * 10L);

    public static MySqlDateTime FromUnixTime(long seconds, int microsecond)
    {
        if (seconds == 0 && microsecond == 0) return default;
        var t = DateTime.UnixEpoch.AddSeconds(seconds);
        return new MySqlDateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, microsecond);
    }

    /// <summary>"YYYY-MM-DD", with " hh:mm:ss" and fractional digits as MySQL prints them for the given precision.</summary>
    public string ToString(bool withTime, int fractionalDigits)
    {
        var date = $"{Year:D4}-{Month:D2}-{Day:D2}";
        if (!withTime) return date;
        var text = $"{date} {Hour:D2}:{Minute:D2}:{Second:D2}";
        return fractionalDigits > 0 ? text + "." + Microsecond.ToString("D6")[..fractionalDigits] : text;
    }

    public override string ToString() => ToString(withTime: true, Microsecond == 0 ? 0 : 6);
}
