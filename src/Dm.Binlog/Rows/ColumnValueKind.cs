namespace Dm.Binlog.Rows;

/// <summary>What a <see cref="ColumnValue"/> holds, i.e. which of its accessors applies.</summary>
public enum ColumnValueKind : byte
{
    /// <summary>SQL NULL.</summary>
    Null,
    /// <summary>Signed integer (TINYINT … BIGINT) or YEAR: <see cref="ColumnValue.Int64"/>.</summary>
    Int64,
    /// <summary>Unsigned integer (when the table map says so) or BIT: <see cref="ColumnValue.UInt64"/>.</summary>
    UInt64,
    /// <summary>FLOAT: <see cref="ColumnValue.Single"/>.</summary>
    Single,
    /// <summary>DOUBLE: <see cref="ColumnValue.Double"/>.</summary>
    Double,
    /// <summary>DECIMAL: <see cref="ColumnValue.TryGetDecimalUnscaled"/> / <see cref="ColumnValue.FormatDecimal"/>.</summary>
    Decimal,
    /// <summary>DATE, DATETIME, TIMESTAMP (UTC): <see cref="ColumnValue.DateTime"/>.</summary>
    DateTime,
    /// <summary>TIME: <see cref="ColumnValue.Time"/>.</summary>
    Time,
    /// <summary>Character data in the column's charset (<see cref="ColumnDefinition.Encoding"/>): <see cref="ColumnValue.Bytes"/>.</summary>
    Text,
    /// <summary>Binary or unknown-charset data, GEOMETRY: <see cref="ColumnValue.Bytes"/> (BINARY(n) unpadded, see <see cref="ColumnValue.PaddedLength"/>).</summary>
    Binary,
    /// <summary>ENUM: <see cref="ColumnValue.Int64"/> is the 1-based index (0 = ''), <see cref="ColumnValue.EnumName"/> the name when known.</summary>
    Enum,
    /// <summary>SET: <see cref="ColumnValue.UInt64"/> holds the member bits.</summary>
    Set,
    /// <summary>MySQL binary JSON: <see cref="ColumnValue.Bytes"/> (Json.MySqlJsonDecoder turns it into text).</summary>
    Json,
    /// <summary>MySQL partial JSON update: <see cref="ColumnValue.Bytes"/> is the diff vector (Json.JsonDiff.DecodeVector).</summary>
    JsonDiff,
}
