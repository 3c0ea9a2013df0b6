using System.Text;

namespace Dm.Binlog.Rows;

/// <summary>
/// One column as TABLE_MAP describes it: binlog type and metadata, plus what the optional metadata
/// (binlog_row_metadata=FULL / MINIMAL) adds: name, signedness, collation, ENUM/SET values, key membership.
/// </summary>
public sealed class ColumnDefinition
{
    public int Index { get; init; }

    /// <summary>The real type: for CHAR columns logged as STRING, ENUM or SET as their metadata says.</summary>
    public ColumnType Type { get; init; }

    /// <summary>The type code written in TABLE_MAP.</summary>
    public ColumnType BinlogType { get; init; }

    /// <summary>The 0–2 metadata bytes of the column as one number (for STRING: real type &lt;&lt; 8 | length byte).</summary>
    public ushort Metadata { get; init; }

    public bool IsNullable { get; init; }
    public string? Name { get; internal set; }

    /// <summary>Signedness from the optional metadata; null when the source did not log it.</summary>
    public bool? IsUnsigned { get; internal set; }

    /// <summary>Collation id of a character/ENUM/SET column; null when not logged (63 = binary).</summary>
    public int? Collation { get; internal set; }

    public IReadOnlyList<string>? EnumValues { get; internal set; }
    public IReadOnlyList<string>? SetValues { get; internal set; }
    public int? GeometryType { get; internal set; }
    public bool IsPrimaryKey { get; internal set; }

    /// <summary>
    /// Fractional digits of a MariaDB pre-5.6-format TIME/DATETIME/TIMESTAMP column (created with
    /// mysql56_temporal_format=OFF). MariaDB does not log this precision, so the reader must set it from
    /// the table's schema (information_schema DATETIME_PRECISION) before reading rows; unset means 0.
    /// </summary>
    public int? LegacyFractionalDigits { get; set; }

    /// <summary>The decoded length in bytes of CHAR/VARCHAR/BINARY (max bytes, not characters).</summary>
    public int MaxLength { get; init; }

    /// <summary>Text encoding for a character column when its collation is known and not binary.</summary>
    public Encoding? Encoding { get; internal set; }

    /// <summary>
    /// How the allocation-free reader decodes this column's values without its general (checked) path, worked
    /// out once the TABLE_MAP and its optional metadata are read (see <see cref="ColumnValueReader.FastReadCode"/>);
    /// 0 = the general path.
    /// </summary>
    internal byte FastRead;

    public bool IsNumeric => Type is ColumnType.Tiny or ColumnType.Short or ColumnType.Int24 or ColumnType.Long or
        ColumnType.LongLong or ColumnType.Float or ColumnType.Double or ColumnType.NewDecimal or ColumnType.Decimal;

    /// <summary>Columns that carry a collation in the optional metadata (CHAR, VARCHAR, TEXT/BLOB).</summary>
    public bool IsCharacter => Type is ColumnType.String or ColumnType.VarChar or ColumnType.VarString or
        ColumnType.Blob or ColumnType.TinyBlob or ColumnType.MediumBlob or ColumnType.LongBlob;

    public bool IsEnumOrSet => Type is ColumnType.Enum or ColumnType.Set;

    public override string ToString() => $"{Name ?? "#" + Index} {Type}";
}
