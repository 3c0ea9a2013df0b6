using System.Globalization;
using System.Text;

namespace Dm.TestKit.Workloads;

/// <summary>Random SQL literals for column types, edge values included at a fair rate (min, max, zero, empty).</summary>
public static class RandomValues
{
    private const string Ascii = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-,.;'\"\\%";
    private const string Latin1 = "abcXYZ éèçàÿß€£¥©°±µ¿";
    private const string Bmp = "abc Ωжλ中文字€ĀŁ";
    private const string Gbk = "abc 中文字汉语测试";
    private static readonly string[] Utf8mb4 = ["a", "b", "z", " ", "é", "ß", "中", "字", "😀", "𝄞", "'", "\\", "\"", "\n", "\t", "\0"];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static string SignedInteger(Random random, int bits)
    {
        var max = bits == 64 ? long.MaxValue : (1L << (bits - 1)) - 1;
        var min = -max - 1;
        return random.Next(8) switch
        {
            0 => SqlText.Number(min),
            1 => SqlText.Number(max),
            2 => "0",
            _ => SqlText.Number(min + (long)(random.NextDouble() * ((double)max - min))),
        };
    }

    public static string UnsignedInteger(Random random, int bits)
    {
        var max = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        return random.Next(8) switch
        {
            0 => "0",
            1 => SqlText.Number(max),
            _ => SqlText.Number((ulong)(random.NextDouble() * max)),
        };
    }

    /// <summary>A DECIMAL(precision, scale) literal, sign and all digits random.</summary>
    public static string Decimal(Random random, int precision, int scale, bool unsigned = false)
    {
        var integerDigits = precision - scale;
        var text = new StringBuilder();
        if (!unsigned && random.Chance(0.4)) text.Append('-');
        var intLength = integerDigits == 0 ? 0 : random.Next(0, integerDigits + 1);
        if (random.Chance(0.1)) intLength = integerDigits;
        text.Append(intLength == 0 ? "0" : RandomDigits(random, intLength, leadingNonZero: true));
        if (scale > 0) text.Append('.').Append(RandomDigits(random, random.Next(0, scale + 1), leadingNonZero: false));
        var literal = text.ToString().TrimEnd('.');
        return literal;
    }

    private static string RandomDigits(Random random, int count, bool leadingNonZero)
    {
        var digits = new char[count];
        for (var i = 0; i < count; i++) digits[i] = (char)('0' + random.Next(i == 0 && leadingNonZero ? 1 : 0, 10));
        return new string(digits);
    }

    /// <summary>FLOAT values that survive the float32 round trip in text (a few significant digits).</summary>
    public static string Float(Random random) => random.Next(6) switch
    {
        0 => "0",
        1 => "-3.40282e38",
        2 => "1.17549e-38",
        _ => SqlText.Number(Math.Round((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 10)), 3)),
    };

    public static string Double(Random random) => random.Next(6) switch
    {
        0 => "0",
        1 => "1.7976931348623157e308",
        2 => "-2.2250738585072014e-308",
        _ => SqlText.Number((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300))),
    };

    public static string Bits(Random random, int width)
    {
        var max = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        var value = random.Next(5) switch { 0 => 0UL, 1 => max, _ => (ulong)random.NextInt64() & max };
        return SqlText.Number(value);
    }

    public static string Year(Random random) => random.Next(10) == 0 ? "0" : SqlText.Number(random.Next(1901, 2156));

    public static string Date(Random random) => random.Next(12) switch
    {
        0 => "'0000-00-00'",
        1 => "'1000-01-01'",
        2 => "'9999-12-31'",
        _ => SqlText.Plain(DateText(random)),
    };

    private static string DateText(Random random) =>
        new DateOnly(1000, 1, 1).AddDays(random.Next(0, 3_287_181)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(Random random, int fsp)
    {
        var hours = random.Next(0, 839);
        var text = $"{(random.Chance(0.5) ? "-" : "")}{hours}:{random.Next(60):D2}:{random.Next(60):D2}{Fraction(random, fsp)}";
        if (hours == 838) text = text.Split(':')[0] + ":59:59" + Fraction(random, fsp);
        return SqlText.Plain(text);
    }

    public static string DateTime(Random random, int fsp) => random.Next(15) switch
    {
        0 => "'0000-00-00 00:00:00'",
        1 => SqlText.Plain("9999-12-31 23:59:59" + (fsp > 0 ? "." + new string('9', fsp) : "")),
        _ => SqlText.Plain($"{DateText(random)} {random.Next(24):D2}:{random.Next(60):D2}:{random.Next(60):D2}{Fraction(random, fsp)}"),
    };

    /// <summary>A TIMESTAMP in its range, written for a session whose time_zone is +00:00.</summary>
    public static string Timestamp(Random random, int fsp)
    {
        if (random.Next(15) == 0) return "'0000-00-00 00:00:00'";
        var seconds = random.NextInt64(1, 2_147_483_647);
        var at = System.DateTime.UnixEpoch.AddSeconds(seconds);
        return SqlText.Plain(at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + Fraction(random, fsp));
    }

    private static string Fraction(Random random, int fsp) =>
        fsp == 0 ? "" : "." + random.Next(0, (int)Math.Pow(10, fsp)).ToString(new string('0', fsp), CultureInfo.InvariantCulture);

    /// <summary>A string of at most <paramref name="maxChars"/> characters from the alphabet a character set can hold.</summary>
    public static string Text(Random random, string charset, int maxChars)
    {
        var length = EdgeLength(random, maxChars, 40);
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            switch (charset)
            {
                case "latin1": text.Append(Latin1[random.Next(Latin1.Length)]); break;
                case "ucs2" or "utf16le": text.Append(Bmp[random.Next(Bmp.Length)]); break;
                case "gbk": text.Append(Gbk[random.Next(Gbk.Length)]); break;
                case "ascii": text.Append(Ascii[random.Next(Ascii.Length)]); break;
                default: text.Append(random.Chance(0.5) ? Ascii[random.Next(Ascii.Length)].ToString() : random.Pick(Utf8mb4)); break;
            }
        }
        return SqlText.Text(text.ToString());
    }

    /// <summary>Empty now and then, the column's maximum rarely (large values are slow to move), short otherwise.</summary>
    private static int EdgeLength(Random random, int max, int usual) => random.Next(40) switch
    {
        < 3 => 0,
        3 => max,
        _ => random.Next(0, Math.Min(max, usual) + 1),
    };

    public static string Bytes(Random random, int maxLength)
    {
        var length = EdgeLength(random, maxLength, 64);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return SqlText.Bytes(bytes);
    }

    public static string Json(Random random) => random.Next(5) switch
    {
        0 => "'{}'",
        1 => "'[]'",
        2 => $"JSON_OBJECT('n', {random.Next()}, 's', {Text(random, "utf8mb4", 10)}, 'a', JSON_ARRAY(1, 2.5, NULL, TRUE))",
        3 => $"JSON_ARRAY({random.Next()}, {Text(random, "utf8mb4", 5)}, JSON_OBJECT('deep', JSON_ARRAY()))",
        _ => SqlText.Text("{\"k\": \"v\\n\", \"x\": " + random.Next(-1000, 1000) + "}"),
    };

    public static string Point(Random random) =>
        $"ST_GeomFromText('POINT({SqlText.Number(Math.Round((random.NextDouble() - 0.5) * 1000, 4))} {SqlText.Number(Math.Round(random.NextDouble() * 90, 6))})')";

    public static string Geometry(Random random) => random.Next(3) switch
    {
        0 => Point(random),
        1 => $"ST_GeomFromText('LINESTRING(0 0,{random.Next(1, 100)} {random.Next(1, 100)})')",
        _ => "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')",
    };
}
