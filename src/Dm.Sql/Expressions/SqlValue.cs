using System.Globalization;
using System.Text;

namespace Dm.Sql.Expressions;

/// <summary>The kinds of <see cref="SqlValue"/>.</summary>
public enum SqlValueKind : byte
{
    Null,
    Integer,
    Decimal,
    Double,
    String,
}

/// <summary>
/// One value of an expression, with MySQL's conversions: strings compare with numbers as numbers (their numeric prefix),
/// strings that are both dates or date-times compare as date-times ('2021-01-01' equals '2021-01-01 00:00:00'), integer
/// arithmetic widens to DECIMAL on overflow, a truth value is a non-zero number, and NULL propagates.
/// </summary>
public readonly record struct SqlValue(SqlValueKind Kind, long Integer, decimal Decimal, double Double, string? Text)
{
    public static readonly SqlValue Null = default;
    public static readonly SqlValue True = Of(1);
    public static readonly SqlValue False = Of(0);

    public bool IsNull => Kind == SqlValueKind.Null;

    public static SqlValue Of(long value) => new(SqlValueKind.Integer, value, 0, 0, null);
    public static SqlValue Of(decimal value) => new(SqlValueKind.Decimal, 0, value, 0, null);
    public static SqlValue Of(double value) => double.IsFinite(value) ? new(SqlValueKind.Double, 0, 0, value, null) : Null;
    public static SqlValue Of(string? value) => value is null ? Null : new(SqlValueKind.String, 0, 0, 0, value);
    public static SqlValue Of(bool? value) => value is null ? Null : value.Value ? True : False;

    /// <summary>A row value as Sync reads it from the binlog (numbers, decimals, text, bytes, dates and times as text).</summary>
    public static SqlValue FromObject(object? value) => value switch
    {
        null => Null,
        long l => Of(l),
        int i => Of(i),
        short s => Of(s),
        sbyte b => Of(b),
        byte b => Of(b),
        ushort u => Of(u),
        uint u => Of(u),
        ulong u => u <= long.MaxValue ? Of((long)u) : Of((decimal)u),
        decimal d => Of(d),
        double d => Of(d),
        float f => Of(f),
        string s => Of(s),
        byte[] bytes => Of(Encoding.UTF8.GetString(bytes)),
        bool b => b ? True : False,
        DateTime t => Of(t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.')),
        _ => Of(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>The value as a truth value: null for NULL, else whether it is non-zero (a string by its numeric prefix).</summary>
    public bool? AsBool() => Kind switch
    {
        SqlValueKind.Null => null,
        SqlValueKind.Integer => Integer != 0,
        SqlValueKind.Decimal => Decimal != 0,
        SqlValueKind.Double => Double != 0,
        _ => AsDouble() != 0,
    };

    public double AsDouble() => Kind switch
    {
        SqlValueKind.Integer => Integer,
        SqlValueKind.Decimal => (double)Decimal,
        SqlValueKind.Double => Double,
        SqlValueKind.String => NumericPrefix(Text!),
        _ => 0,
    };

    /// <summary>The value as an exact number when it is one (a string when its whole text is a decimal number).</summary>
    public decimal? AsDecimal() => Kind switch
    {
        SqlValueKind.Integer => Integer,
        SqlValueKind.Decimal => Decimal,
        SqlValueKind.Double => Double is > -7.9e28 and < 7.9e28 ? (decimal)Double : null,
        SqlValueKind.String => decimal.TryParse(Text!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
        _ => null,
    };

    public long AsInteger() => Kind switch
    {
        SqlValueKind.Integer => Integer,
        SqlValueKind.Decimal => (long)Math.Round(Decimal, MidpointRounding.AwayFromZero),
        _ => (long)Math.Round(Math.Clamp(AsDouble(), long.MinValue, long.MaxValue), MidpointRounding.AwayFromZero),
    };

    public string AsText() => Kind switch
    {
        SqlValueKind.String => Text!,
        SqlValueKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        SqlValueKind.Decimal => Decimal.ToString(CultureInfo.InvariantCulture),
        SqlValueKind.Double => Double.ToString("R", CultureInfo.InvariantCulture),
        _ => "",
    };

    public bool IsNumber => Kind is SqlValueKind.Integer or SqlValueKind.Decimal or SqlValueKind.Double;

    /// <summary>MySQL's comparison of two values: null when either is NULL.</summary>
    public static int? Compare(SqlValue a, SqlValue b, bool caseInsensitive)
    {
        if (a.IsNull || b.IsNull) return null;
        if (a.Kind == SqlValueKind.String && b.Kind == SqlValueKind.String)
        {
            if (Temporal.TryNormalize(a.Text!, out var ta) && Temporal.TryNormalize(b.Text!, out var tb))
                return string.CompareOrdinal(ta, tb);
            var (x, y) = (a.Text!.TrimEnd(' '), b.Text!.TrimEnd(' ')); // PAD SPACE collations
            return caseInsensitive ? string.Compare(x, y, CultureInfo.InvariantCulture, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace)
                : string.CompareOrdinal(x, y);
        }
        if (a.Kind is SqlValueKind.Integer && b.Kind is SqlValueKind.Integer) return a.Integer.CompareTo(b.Integer);
        if (a.Kind != SqlValueKind.Double && b.Kind != SqlValueKind.Double && a.AsDecimal() is { } da && b.AsDecimal() is { } db)
            return da.CompareTo(db);
        return a.AsDouble().CompareTo(b.AsDouble());
    }

    /// <summary>The numeric value of a string's longest numeric prefix, as MySQL converts strings in arithmetic (0 when none).</summary>
    private static double NumericPrefix(string text)
    {
        var s = text.AsSpan().TrimStart();
        var end = 0;
        if (end < s.Length && s[end] is '+' or '-') end++;
        var digits = false;
        while (end < s.Length && char.IsAsciiDigit(s[end])) { end++; digits = true; }
        if (end < s.Length && s[end] == '.')
        {
            end++;
            while (end < s.Length && char.IsAsciiDigit(s[end])) { end++; digits = true; }
        }
        if (digits && end < s.Length && s[end] is 'e' or 'E')
        {
            var e = end + 1;
            if (e < s.Length && s[e] is '+' or '-') e++;
            if (e < s.Length && char.IsAsciiDigit(s[e]))
            {
                while (e < s.Length && char.IsAsciiDigit(s[e])) e++;
                end = e;
            }
        }
        return digits && double.TryParse(s[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
    }
}
