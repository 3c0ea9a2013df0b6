using System.Globalization;
using System.Text;

namespace Dm.Sql.Expressions;

/// <summary>
/// The functions an expression filter may call, with MySQL's results: string functions (CONCAT, LENGTH, SUBSTRING, ...),
/// NULL handling (IFNULL, COALESCE, IF, ...), numbers (ABS, ROUND, ...) and dates (YEAR, MONTH, DATE, DATEDIFF, ...). A name
/// not listed here is refused when the expression is parsed, never evaluated as something else.
/// </summary>
public static class SqlFunctions
{
    private sealed record Function(int MinArguments, int MaxArguments, Func<SqlValue[], SqlValue> Call, bool NullIn = true);

    private static readonly Dictionary<string, Function> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        // strings
        ["CONCAT"] = new(1, int.MaxValue, a => SqlValue.Of(string.Concat(a.Select(v => v.AsText())))),
        ["CONCAT_WS"] = new(2, int.MaxValue, a => a[0].IsNull ? SqlValue.Null
            : SqlValue.Of(string.Join(a[0].AsText(), a.Skip(1).Where(v => !v.IsNull).Select(v => v.AsText()))), NullIn: false),
        ["LENGTH"] = new(1, 1, a => SqlValue.Of(Encoding.UTF8.GetByteCount(a[0].AsText()))),
        ["OCTET_LENGTH"] = new(1, 1, a => SqlValue.Of(Encoding.UTF8.GetByteCount(a[0].AsText()))),
        ["CHAR_LENGTH"] = new(1, 1, a => SqlValue.Of(CharLength(a[0].AsText()))),
        ["CHARACTER_LENGTH"] = new(1, 1, a => SqlValue.Of(CharLength(a[0].AsText()))),
        ["LOWER"] = new(1, 1, a => SqlValue.Of(a[0].AsText().ToLowerInvariant())),
        ["LCASE"] = new(1, 1, a => SqlValue.Of(a[0].AsText().ToLowerInvariant())),
        ["UPPER"] = new(1, 1, a => SqlValue.Of(a[0].AsText().ToUpperInvariant())),
        ["UCASE"] = new(1, 1, a => SqlValue.Of(a[0].AsText().ToUpperInvariant())),
        ["SUBSTRING"] = new(2, 3, Substring),
        ["SUBSTR"] = new(2, 3, Substring),
        ["MID"] = new(3, 3, Substring),
        ["LEFT"] = new(2, 2, a => SqlValue.Of(new string(Chars(a[0]).Take((int)Math.Max(0, a[1].AsInteger())).SelectMany(c => c).ToArray()))),
        ["RIGHT"] = new(2, 2, a => SqlValue.Of(new string(Chars(a[0]).TakeLast((int)Math.Max(0, a[1].AsInteger())).SelectMany(c => c).ToArray()))),
        ["TRIM"] = new(1, 1, a => SqlValue.Of(a[0].AsText().Trim(' '))),
        ["LTRIM"] = new(1, 1, a => SqlValue.Of(a[0].AsText().TrimStart(' '))),
        ["RTRIM"] = new(1, 1, a => SqlValue.Of(a[0].AsText().TrimEnd(' '))),
        ["REPLACE"] = new(3, 3, a => SqlValue.Of(a[1].AsText().Length == 0 ? a[0].AsText() : a[0].AsText().Replace(a[1].AsText(), a[2].AsText(), StringComparison.Ordinal))),
        ["REVERSE"] = new(1, 1, a => SqlValue.Of(new string(Chars(a[0]).Reverse().SelectMany(c => c).ToArray()))),
        ["INSTR"] = new(2, 2, a => SqlValue.Of(Locate(a[1].AsText(), a[0].AsText(), 1))),
        ["LOCATE"] = new(2, 3, a => SqlValue.Of(Locate(a[0].AsText(), a[1].AsText(), a.Length > 2 ? a[2].AsInteger() : 1))),
        ["STRCMP"] = new(2, 2, a => SqlValue.Of((long)Math.Sign(string.CompareOrdinal(a[0].AsText(), a[1].AsText())))),
        // NULL and conditions
        ["IFNULL"] = new(2, 2, a => a[0].IsNull ? a[1] : a[0], NullIn: false),
        ["COALESCE"] = new(1, int.MaxValue, a => a.FirstOrDefault(v => !v.IsNull), NullIn: false),
        ["IF"] = new(3, 3, a => a[0].AsBool() == true ? a[1] : a[2], NullIn: false),
        ["NULLIF"] = new(2, 2, a => SqlValue.Compare(a[0], a[1], caseInsensitive: false) == 0 ? SqlValue.Null : a[0], NullIn: false),
        ["ISNULL"] = new(1, 1, a => SqlValue.Of(a[0].IsNull), NullIn: false),
        // numbers
        ["ABS"] = new(1, 1, a => a[0].Kind switch
        {
            SqlValueKind.Integer when a[0].Integer != long.MinValue => SqlValue.Of(Math.Abs(a[0].Integer)),
            _ when a[0].AsDecimal() is { } d && a[0].Kind != SqlValueKind.Double => SqlValue.Of(Math.Abs(d)),
            _ => SqlValue.Of(Math.Abs(a[0].AsDouble())),
        }),
        ["ROUND"] = new(1, 2, Round),
        ["FLOOR"] = new(1, 1, a => a[0].AsDecimal() is { } d && a[0].Kind != SqlValueKind.Double ? SqlValue.Of((long)Math.Floor(d)) : SqlValue.Of(Math.Floor(a[0].AsDouble()))),
        ["CEIL"] = new(1, 1, Ceiling),
        ["CEILING"] = new(1, 1, Ceiling),
        ["SIGN"] = new(1, 1, a => SqlValue.Of((long)Math.Sign(a[0].AsDouble()))),
        ["MOD"] = new(2, 2, a => ExpressionOperators.Arithmetic("%", a[0], a[1])),
        ["GREATEST"] = new(2, int.MaxValue, a => a.Aggregate((x, y) => SqlValue.Compare(x, y, false) >= 0 ? x : y)),
        ["LEAST"] = new(2, int.MaxValue, a => a.Aggregate((x, y) => SqlValue.Compare(x, y, false) <= 0 ? x : y)),
        // dates and times (text in, numbers or text out)
        ["YEAR"] = new(1, 1, a => Part(a[0], p => p.Year)),
        ["MONTH"] = new(1, 1, a => Part(a[0], p => p.Month)),
        ["DAY"] = new(1, 1, a => Part(a[0], p => p.Day)),
        ["DAYOFMONTH"] = new(1, 1, a => Part(a[0], p => p.Day)),
        ["HOUR"] = new(1, 1, a => Part(a[0], p => p.Hour)),
        ["MINUTE"] = new(1, 1, a => Part(a[0], p => p.Minute)),
        ["SECOND"] = new(1, 1, a => Part(a[0], p => p.Second)),
        ["DATE"] = new(1, 1, a => Temporal.TryParts(a[0].AsText(), out var p)
            ? SqlValue.Of(string.Create(CultureInfo.InvariantCulture, $"{p.Year:0000}-{p.Month:00}-{p.Day:00}")) : SqlValue.Null),
        ["DAYOFWEEK"] = new(1, 1, a => Temporal.ToDateTime(a[0].AsText()) is { } t ? SqlValue.Of((long)t.DayOfWeek + 1) : SqlValue.Null),
        ["WEEKDAY"] = new(1, 1, a => Temporal.ToDateTime(a[0].AsText()) is { } t ? SqlValue.Of(((long)t.DayOfWeek + 6) % 7) : SqlValue.Null),
        ["DATEDIFF"] = new(2, 2, a => Temporal.ToDateTime(a[0].AsText()) is { } x && Temporal.ToDateTime(a[1].AsText()) is { } y
            ? SqlValue.Of((long)(x.Date - y.Date).TotalDays) : SqlValue.Null),
        // UNIX_TIMESTAMP of a date-time text, read in UTC (DM#'s sessions run with time_zone '+00:00').
        ["UNIX_TIMESTAMP"] = new(1, 1, a => Temporal.ToDateTime(a[0].AsText()) is { } t
            ? SqlValue.Of((long)(t - DateTime.UnixEpoch).TotalSeconds) : SqlValue.Null),
    };

    /// <summary>Whether <paramref name="name"/> is a function an expression may call with <paramref name="arguments"/> arguments.</summary>
    public static string? Check(string name, int arguments) =>
        !Functions.TryGetValue(name, out var f) ? $"function {name} is not supported in expression filters"
        : arguments < f.MinArguments || arguments > f.MaxArguments ? $"incorrect parameter count in the call to native function '{name}'"
        : null;

    /// <summary>Calls a function that <see cref="Check"/> accepted; NULL in gives NULL unless the function handles NULL itself.</summary>
    public static SqlValue Call(string name, SqlValue[] arguments)
    {
        var f = Functions[name];
        if (f.NullIn && arguments.Any(a => a.IsNull)) return SqlValue.Null;
        return f.Call(arguments);
    }

    private static SqlValue Substring(SqlValue[] a)
    {
        var chars = Chars(a[0]).ToList();
        var position = a[1].AsInteger();
        var start = position > 0 ? position - 1 : position < 0 ? chars.Count + position : chars.Count;
        if (start < 0 || start >= chars.Count) return SqlValue.Of("");
        var length = a.Length > 2 ? Math.Max(0, a[2].AsInteger()) : chars.Count;
        return SqlValue.Of(string.Concat(chars.Skip((int)start).Take((int)Math.Min(length, chars.Count))));
    }

    private static SqlValue Round(SqlValue[] a)
    {
        var digits = a.Length > 1 ? (int)Math.Clamp(a[1].AsInteger(), -28, 28) : 0;
        if (a[0].Kind != SqlValueKind.Double && a[0].AsDecimal() is { } d)
        {
            var scale = (decimal)Math.Pow(10, -Math.Min(digits, 0));
            var rounded = digits >= 0 ? Math.Round(d, digits, MidpointRounding.AwayFromZero) : Math.Round(d / scale, MidpointRounding.AwayFromZero) * scale;
            return a[0].Kind == SqlValueKind.Integer || digits <= 0 ? SqlValue.Of((long)rounded) : SqlValue.Of(rounded);
        }
        return SqlValue.Of(Math.Round(a[0].AsDouble(), Math.Clamp(digits, 0, 15), MidpointRounding.ToEven));
    }

    private static SqlValue Ceiling(SqlValue[] a) =>
        a[0].AsDecimal() is { } d && a[0].Kind != SqlValueKind.Double ? SqlValue.Of((long)Math.Ceiling(d)) : SqlValue.Of(Math.Ceiling(a[0].AsDouble()));

    private static SqlValue Part(SqlValue value, Func<(int Year, int Month, int Day, int Hour, int Minute, int Second, int Micro), int> part) =>
        Temporal.TryParts(value.AsText(), out var p) ? SqlValue.Of(part(p)) : SqlValue.Null;

    private static long Locate(string needle, string haystack, long from)
    {
        if (from < 1) return 0;
        var chars = StringInfoChars(haystack);
        var start = (int)Math.Min(from - 1, chars.Count);
        var offset = chars.Take(start).Sum(c => c.Length);
        var index = haystack.IndexOf(needle, offset, StringComparison.OrdinalIgnoreCase);
        return index < 0 ? 0 : StringInfoChars(haystack[..index]).Count + 1;
    }

    private static long CharLength(string text) => StringInfoChars(text).Count;

    /// <summary>The characters of a value's text (a surrogate pair is one character, as in utf8mb4).</summary>
    private static IEnumerable<string> Chars(SqlValue value) => StringInfoChars(value.AsText());

    private static List<string> StringInfoChars(string text)
    {
        var chars = new List<string>(text.Length);
        for (var i = 0; i < text.Length; i++)
            chars.Add(char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? text.Substring(i++, 2) : text[i].ToString());
        return chars;
    }
}
