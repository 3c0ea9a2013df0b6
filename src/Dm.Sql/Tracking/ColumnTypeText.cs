using System.Globalization;
using System.Text;
using Dm.Sql.Ast;

namespace Dm.Sql.Tracking;

/// <summary>
/// Renders a data type as MariaDB's information_schema.COLUMN_TYPE does (lower case, canonical name,
/// default display widths), so tracked tables compare with the server.
/// </summary>
public static class ColumnTypeText
{
    public static string CanonicalName(DataType type) => type.Name switch
    {
        "INTEGER" or "INT4" => "int",
        "INT1" or "BOOL" or "BOOLEAN" => "tinyint",
        "INT2" => "smallint",
        "INT3" or "MIDDLEINT" => "mediumint",
        "INT8" or "SERIAL" => "bigint",
        "DEC" or "NUMERIC" or "FIXED" or "NUMBER" => "decimal",
        "REAL" or "DOUBLE PRECISION" or "FLOAT8" => "double",
        "FLOAT4" => "float",
        "FLOAT" when type.Length > 24 && type.Scale == null => "double",
        "CHARACTER" or "NCHAR" or "NATIONAL CHAR" or "NATIONAL CHARACTER" => "char",
        "CHARACTER VARYING" or "CHAR VARYING" or "VARCHARACTER" or "NVARCHAR" or "NATIONAL VARCHAR" or "NCHAR VARCHAR"
            or "NCHAR VARYING" or "NATIONAL CHAR VARYING" or "NATIONAL CHARACTER VARYING" or "VARCHAR2" => "varchar",
        "LONG" or "LONG VARCHAR" or "LONG CHAR VARYING" => "mediumtext",
        "LONG VARBINARY" => "mediumblob",
        "JSON" => "longtext",
        "GEOMCOLLECTION" => "geometrycollection",
        _ => type.Name.ToLowerInvariant(),
    };

    /// <summary>COLUMN_TYPE text; <paramref name="charset"/> (the column's effective one) decides what TEXT(n) becomes.</summary>
    public static string Render(DataType type, string? charset = null)
    {
        var name = CanonicalName(type);
        if (type.Length != null && name is "text" or "blob")
        {
            // TEXT(n)/BLOB(n) pick the smallest type holding n characters
            var bytes = (long)type.Length.Value * (name == "text" ? MaxBytesPerChar(charset) : 1);
            var prefix = bytes <= 255 ? "tiny" : bytes <= 65535 ? "" : bytes <= 16777215 ? "medium" : "long";
            return prefix + name;
        }
        var unsigned = type.Unsigned || type.Zerofill || type.Name == "SERIAL";
        var sb = new StringBuilder(name);
        if (type.Values != null)
        {
            sb.Append('(');
            for (var i = 0; i < type.Values.Count; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append('\'').Append(type.Values[i].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append('\'');
            }
            sb.Append(')');
        }
        else
        {
            var (length, scale) = Widths(type, name, unsigned);
            if (type.Name == "FLOAT" && type.Scale == null) length = null; // FLOAT(p) is a precision, not a width
            if (length != null)
            {
                sb.Append('(').Append(length.Value.ToString(CultureInfo.InvariantCulture));
                if (scale != null) sb.Append(',').Append(scale.Value.ToString(CultureInfo.InvariantCulture));
                sb.Append(')');
            }
        }
        if (unsigned && IsNumeric(name)) sb.Append(" unsigned");
        if (type.Zerofill) sb.Append(" zerofill");
        return sb.ToString();
    }

    private static bool IsNumeric(string name) =>
        name is "tinyint" or "smallint" or "mediumint" or "int" or "bigint" or "decimal" or "float" or "double";

    private static (int? Length, int? Scale) Widths(DataType type, string name, bool unsigned)
    {
        if (type.Name is "BOOL" or "BOOLEAN") return (1, null);
        if (type.Name == "SERIAL") return (20, null);
        if (type.Length != null) return (type.Length, name == "decimal" ? type.Scale ?? 0 : type.Scale);
        return name switch
        {
            "tinyint" => (unsigned ? 3 : 4, null),
            "smallint" => (unsigned ? 5 : 6, null),
            "mediumint" => (unsigned ? 8 : 9, null),
            "int" => (unsigned ? 10 : 11, null),
            "bigint" => (20, null),
            "decimal" => (10, 0),
            "bit" or "char" or "binary" => (1, null),
            "year" => (4, null),
            _ => (null, null),
        };
    }

    /// <summary>Longest encoding of one character in a charset (mbmaxlen).</summary>
    public static int MaxBytesPerChar(string? charset) => charset?.ToLowerInvariant() switch
    {
        null or "utf8mb4" or "utf16" or "utf16le" or "utf32" or "gb18030" => 4,
        "utf8" or "utf8mb3" or "ujis" or "eucjpms" => 3,
        "ucs2" or "big5" or "gbk" or "gb2312" or "sjis" or "cp932" or "euckr" => 2,
        _ => 1,
    };

    /// <summary>National character types use utf8mb3.</summary>
    public static bool IsNational(DataType type) =>
        type.Name.StartsWith("NATIONAL", StringComparison.Ordinal) || type.Name.StartsWith("NCHAR", StringComparison.Ordinal) || type.Name == "NVARCHAR";

    /// <summary>Types that carry a character set.</summary>
    public static bool HasCharset(DataType type)
    {
        var name = CanonicalName(type);
        return name is "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext" or "enum" or "set";
    }
}
