using System.Text;

namespace Dm.Binlog.Rows;

/// <summary>
/// One decoded column value without allocation: numbers and temporal values by value, text and binary as
/// a span of the event's bytes (valid while the event's buffer is). Decodes exactly what
/// <see cref="RowImage.GetValue"/> decodes; the accessor to use follows from <see cref="Kind"/>.
/// </summary>
public readonly ref struct ColumnValue
{
    private readonly long _bits;

    internal ColumnValue(ColumnValueKind kind, ColumnDefinition column, long bits, ReadOnlySpan<byte> bytes)
    {
        Kind = kind;
        Column = column;
        _bits = bits;
        Bytes = bytes;
    }

    public ColumnValueKind Kind { get; }

    public ColumnDefinition Column { get; }

    public bool IsNull => Kind == ColumnValueKind.Null;

    /// <summary>Signed integers, YEAR (0 or 1901–2155), ENUM index.</summary>
    public long Int64 => _bits;

    /// <summary>Unsigned integers, BIT, SET bits.</summary>
    public ulong UInt64 => (ulong)_bits;

    public float Single => BitConverter.Int32BitsToSingle((int)_bits);

    public double Double => BitConverter.Int64BitsToDouble(_bits);

    /// <summary>Text (in <see cref="ColumnDefinition.Encoding"/>), binary, GEOMETRY (WKB with SRID), MySQL JSON, DECIMAL (packed), JSON diff.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Length of a BINARY(n) value as SELECT shows it (zero-padded to n); the byte count otherwise.</summary>
    public int PaddedLength =>
        Kind == ColumnValueKind.Binary && Column.Type == ColumnType.String && Column.Collation == CharsetEncodings.BinaryCollation
            ? Math.Max(Bytes.Length, Column.MaxLength) : Bytes.Length;

    /// <summary>DATE/DATETIME/TIMESTAMP, decoded from the value's bytes.</summary>
    public MySqlDateTime DateTime => Kind == ColumnValueKind.DateTime
        ? RowValueDecoder.DecodeDateTime(Column, Bytes) : throw WrongKind(ColumnValueKind.DateTime);

    /// <summary>TIME, decoded from the value's bytes.</summary>
    public TimeSpan Time => Kind == ColumnValueKind.Time
        ? RowValueDecoder.DecodeTime(Column, Bytes) : throw WrongKind(ColumnValueKind.Time);

    /// <summary>The ENUM member's name ("" for index 0); null when the table map did not carry the names.</summary>
    public string? EnumName => Kind != ColumnValueKind.Enum ? throw WrongKind(ColumnValueKind.Enum)
        : Column.EnumValues is not { } names ? null
        : _bits == 0 ? "" : _bits <= names.Count ? names[(int)_bits - 1]
        : throw new BinlogFormatException($"column {Column}: ENUM index {_bits} beyond its {names.Count} values");

    public int DecimalPrecision => Column.Metadata >> 8;

    public int DecimalScale => Column.Metadata & 0xFF;

    /// <summary>DECIMAL times 10^scale (e.g. DECIMAL(6,4) -12.34 gives -123400); false above 38 digits of precision.</summary>
    public bool TryGetDecimalUnscaled(out Int128 unscaled) => Kind == ColumnValueKind.Decimal
        ? PackedDecimal.TryGetUnscaled(Bytes, DecimalPrecision, DecimalScale, out unscaled) : throw WrongKind(ColumnValueKind.Decimal);

    /// <summary>Writes the DECIMAL's exact text (at most <see cref="PackedDecimal.MaxTextLength"/> chars); returns its length.</summary>
    public int FormatDecimal(Span<char> destination) => Kind == ColumnValueKind.Decimal
        ? PackedDecimal.Format(Bytes, DecimalPrecision, DecimalScale, destination) : throw WrongKind(ColumnValueKind.Decimal);

    /// <summary>The text's encoding (Kind Text only).</summary>
    public Encoding Encoding => Kind == ColumnValueKind.Text ? Column.Encoding! : throw WrongKind(ColumnValueKind.Text);

    private InvalidOperationException WrongKind(ColumnValueKind wanted) =>
        new($"column {Column} holds a {Kind} value, not {wanted}");
}
