namespace Dm.TestKit.Workloads;

/// <summary>
/// A column of every type MariaDB's binlog carries (the same set the binlog decoder is tested with), each with a
/// generator of random values. Every column is nullable; the table's key is a separate BIGINT id.
/// </summary>
public static class AllTypesColumns
{
    public sealed record Column(string Name, string Type, Func<Random, string> Value);

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("c_tiny", "TINYINT", r => RandomValues.SignedInteger(r, 8)),
        new("c_utiny", "TINYINT UNSIGNED", r => RandomValues.UnsignedInteger(r, 8)),
        new("c_small", "SMALLINT", r => RandomValues.SignedInteger(r, 16)),
        new("c_usmall", "SMALLINT UNSIGNED", r => RandomValues.UnsignedInteger(r, 16)),
        new("c_med", "MEDIUMINT", r => RandomValues.SignedInteger(r, 24)),
        new("c_umed", "MEDIUMINT UNSIGNED", r => RandomValues.UnsignedInteger(r, 24)),
        new("c_int", "INT", r => RandomValues.SignedInteger(r, 32)),
        new("c_uint", "INT UNSIGNED", r => RandomValues.UnsignedInteger(r, 32)),
        new("c_big", "BIGINT", r => RandomValues.SignedInteger(r, 64)),
        new("c_ubig", "BIGINT UNSIGNED", r => RandomValues.UnsignedInteger(r, 64)),
        new("c_dec52", "DECIMAL(5,2)", r => RandomValues.Decimal(r, 5, 2)),
        new("c_dec6530", "DECIMAL(65,30)", r => RandomValues.Decimal(r, 65, 30)),
        new("c_dec100", "DECIMAL(10,0)", r => RandomValues.Decimal(r, 10, 0)),
        new("c_dec189", "DECIMAL(18,9)", r => RandomValues.Decimal(r, 18, 9)),
        new("c_dec3010", "DECIMAL(30,10) UNSIGNED", r => RandomValues.Decimal(r, 30, 10, unsigned: true)),
        new("c_float", "FLOAT", RandomValues.Float),
        new("c_double", "DOUBLE", RandomValues.Double),
        new("c_bit1", "BIT(1)", r => RandomValues.Bits(r, 1)),
        new("c_bit13", "BIT(13)", r => RandomValues.Bits(r, 13)),
        new("c_bit64", "BIT(64)", r => RandomValues.Bits(r, 64)),
        new("c_year", "YEAR", RandomValues.Year),
        new("c_date", "DATE", RandomValues.Date),
        new("c_time0", "TIME", r => RandomValues.Time(r, 0)),
        new("c_time3", "TIME(3)", r => RandomValues.Time(r, 3)),
        new("c_time6", "TIME(6)", r => RandomValues.Time(r, 6)),
        new("c_dt0", "DATETIME", r => RandomValues.DateTime(r, 0)),
        new("c_dt2", "DATETIME(2)", r => RandomValues.DateTime(r, 2)),
        new("c_dt6", "DATETIME(6)", r => RandomValues.DateTime(r, 6)),
        new("c_ts0", "TIMESTAMP NULL", r => RandomValues.Timestamp(r, 0)),
        new("c_ts3", "TIMESTAMP(3) NULL", r => RandomValues.Timestamp(r, 3)),
        new("c_ts6", "TIMESTAMP(6) NULL", r => RandomValues.Timestamp(r, 6)),
        new("c_char", "CHAR(10)", r => RandomValues.Text(r, "utf8mb4", 10)),
        new("c_varchar", "VARCHAR(100)", r => RandomValues.Text(r, "utf8mb4", 100)),
        new("c_varchar2k", "VARCHAR(2000)", r => RandomValues.Text(r, "utf8mb4", 2000)),
        new("c_latin1", "VARCHAR(20) CHARACTER SET latin1", r => RandomValues.Text(r, "latin1", 20)),
        new("c_ucs2", "VARCHAR(20) CHARACTER SET ucs2", r => RandomValues.Text(r, "ucs2", 20)),
        new("c_utf16le", "VARCHAR(10) CHARACTER SET utf16le", r => RandomValues.Text(r, "utf16le", 10)),
        new("c_gbk", "VARCHAR(10) CHARACTER SET gbk", r => RandomValues.Text(r, "gbk", 10)),
        new("c_ascii_bin", "CHAR(5) CHARACTER SET ascii COLLATE ascii_bin", r => RandomValues.Text(r, "ascii", 5)),
        new("c_binary", "BINARY(8)", r => RandomValues.Bytes(r, 8)),
        new("c_varbinary", "VARBINARY(300)", r => RandomValues.Bytes(r, 300)),
        new("c_tinytext", "TINYTEXT", r => RandomValues.Text(r, "utf8mb4", 60)),
        new("c_text", "TEXT", r => RandomValues.Text(r, "utf8mb4", 3000)),
        new("c_mediumtext", "MEDIUMTEXT", r => RandomValues.Text(r, "utf8mb4", 20000)),
        new("c_longtext", "LONGTEXT", r => RandomValues.Text(r, "utf8mb4", 70000)),
        new("c_tinyblob", "TINYBLOB", r => RandomValues.Bytes(r, 255)),
        new("c_blob", "BLOB", r => RandomValues.Bytes(r, 65535)),
        new("c_mediumblob", "MEDIUMBLOB", r => RandomValues.Bytes(r, 70000)),
        new("c_longblob", "LONGBLOB", r => RandomValues.Bytes(r, 100000)),
        new("c_enum", "ENUM('a','bb','ccc')", r => r.Pick(["'a'", "'bb'", "'ccc'"])),
        new("c_set", "SET('x','y','z')", r => r.Pick(["''", "'x'", "'y,z'", "'x,y,z'"])),
        new("c_json", "JSON", RandomValues.Json),
        new("c_geom", "GEOMETRY", RandomValues.Geometry),
        new("c_point", "POINT", RandomValues.Point),
    ];

    /// <summary>MariaDB's own types (10.5+, 10.7+), in a table of their own so that trouble with them stays there.</summary>
    public static readonly IReadOnlyList<Column> MariaDbColumns =
    [
        new("c_uuid", "UUID", r => SqlText.Plain(RandomUuid(r))),
        new("c_inet6", "INET6", r => r.Chance(0.5)
            ? SqlText.Plain(new System.Net.IPAddress(RandomBytes(r, 16)).ToString())
            : SqlText.Plain($"::ffff:{r.Next(256)}.{r.Next(256)}.{r.Next(256)}.{r.Next(256)}")),
    ];

    /// <summary>A version-4 UUID with the RFC variant: MariaDB refuses some other variants.</summary>
    private static string RandomUuid(Random random)
    {
        var bytes = RandomBytes(random, 16);
        bytes[6] = (byte)(bytes[6] & 0x0F | 0x40);
        bytes[8] = (byte)(bytes[8] & 0x3F | 0x80);
        return Convert.ToHexString(bytes).ToLowerInvariant().Insert(20, "-").Insert(16, "-").Insert(12, "-").Insert(8, "-");
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A value for the column, NULL at one chance in eight.</summary>
    public static string ValueOrNull(Column column, Random random) => random.Next(8) == 0 ? "NULL" : column.Value(random);
}
