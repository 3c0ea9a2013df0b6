namespace Dm.Binlog.Rows;

/// <summary>
/// Reads a packed DECIMAL (decimal2bin: sign in the top bit, negative values bit-inverted, 9 digits per
/// 4 bytes big-endian, shorter leading/trailing groups) without allocating: as text or as an unscaled integer.
/// </summary>
public static class PackedDecimal
{
    private static readonly int[] DigitsToBytes = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

    /// <summary>Longest text of a DECIMAL(65, 30): sign, 35 integral digits, point, 30 fraction digits.</summary>
    public const int MaxTextLength = 68;

    /// <summary>Writes the exact text (e.g. "-12.3400", as <see cref="MySqlDecimal.Text"/>) and returns its length.</summary>
    public static int Format(ReadOnlySpan<byte> value, int precision, int scale, Span<char> destination)
    {
        var reader = new GroupReader(value, precision, scale);
        var at = 0;
        if (reader.Negative) destination[at++] = '-';
        var integral = precision - scale;
        var started = false;
        var leadingDigits = integral % 9;
        if (leadingDigits > 0)
        {
            var v = reader.Next(DigitsToBytes[leadingDigits]);
            if (v != 0) { at += WriteDigits(v, 0, destination[at..]); started = true; }
        }
        for (var i = 0; i < integral / 9; i++)
        {
            var v = reader.Next(4);
            if (started) at += WriteDigits(v, 9, destination[at..]);
            else if (v != 0) { at += WriteDigits(v, 0, destination[at..]); started = true; }
        }
        if (!started) destination[at++] = '0';
        if (scale > 0)
        {
            destination[at++] = '.';
            for (var i = 0; i < scale / 9; i++) at += WriteDigits(reader.Next(4), 9, destination[at..]);
            var trailingDigits = scale % 9;
            if (trailingDigits > 0) at += WriteDigits(reader.Next(DigitsToBytes[trailingDigits]), trailingDigits, destination[at..]);
        }
        return at;
    }

    /// <summary>
    /// The value times 10^scale as an integer (e.g. -12.3400 in DECIMAL(6,4) gives -123400); false when
    /// the precision exceeds 38 digits (use <see cref="Format"/> then).
    /// </summary>
    public static bool TryGetUnscaled(ReadOnlySpan<byte> value, int precision, int scale, out Int128 unscaled)
    {
        unscaled = 0;
        if (precision > 38) return false;
        var reader = new GroupReader(value, precision, scale);
        var integral = precision - scale;
        Int128 result = 0;
        if (integral % 9 > 0) result = reader.Next(DigitsToBytes[integral % 9]);
        for (var i = 0; i < integral / 9; i++) result = result * 1_000_000_000 + reader.Next(4);
        for (var i = 0; i < scale / 9; i++) result = result * 1_000_000_000 + reader.Next(4);
        var trailingDigits = scale % 9;
        if (trailingDigits > 0) result = result * Pow10(trailingDigits) + reader.Next(DigitsToBytes[trailingDigits]);
        unscaled = reader.Negative ? -result : result;
        return true;
    }

    private static long Pow10(int digits)
    {
        long p = 1;
        for (var i = 0; i < digits; i++) p *= 10;
        return p;
    }

    /// <summary>Writes <paramref name="v"/> in decimal, zero-padded to <paramref name="width"/> digits (0 = no padding).</summary>
    private static int WriteDigits(ulong v, int width, Span<char> destination)
    {
        Span<char> digits = stackalloc char[20];
        var n = 0;
        do
        {
            digits[n++] = (char)('0' + (int)(v % 10));
            v /= 10;
        } while (v != 0);
        while (n < width) digits[n++] = '0';
        for (var i = 0; i < n; i++) destination[i] = digits[n - 1 - i];
        return n;
    }

    /// <summary>Big-endian groups of the packed value with the sign bit cleared and negative values un-inverted.</summary>
    private ref struct GroupReader
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private readonly byte _mask;
        private int _at;

        public GroupReader(ReadOnlySpan<byte> value, int precision, int scale)
        {
            var length = RowValueDecoder.DecimalLength(precision, scale);
            if (value.Length < length || length == 0)
                throw new BinlogFormatException($"DECIMAL({precision},{scale}) needs {length} bytes, {value.Length} given");
            _bytes = value[..length];
            Negative = (_bytes[0] & 0x80) == 0;
            _mask = Negative ? (byte)0xFF : (byte)0;
        }

        public bool Negative { get; }

        public ulong Next(int count)
        {
            ulong v = 0;
            for (var i = 0; i < count; i++)
            {
                var b = (byte)(_bytes[_at] ^ _mask);
                if (_at == 0) b ^= 0x80;
                v = v << 8 | b;
                _at++;
            }
            return v;
        }
    }
}
