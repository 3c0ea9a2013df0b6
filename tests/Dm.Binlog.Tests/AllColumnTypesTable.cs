namespace Dm.Binlog.Tests;

/// <summary>
/// A table with a column of every type the binlog carries, rows of edge values (NULL, min, max, zero
/// dates, 4-byte UTF-8, 64 KiB blobs, fsp 0–6, negative times with fractions), an UPDATE of every row
/// and a DELETE, and the SELECT expression whose text each decoded value must equal.
/// </summary>
internal static class AllColumnTypesTable
{
    /// <summary>Name, SQL type, how SELECT shows it: cast = CAST(c AS CHAR), hex = HEX(c), raw = c, bit = CAST(c+0 AS CHAR).</summary>
    public static readonly (string Name, string Type, string Show)[] Columns =
    [
        ("c_tiny", "TINYINT", "cast"), ("c_utiny", "TINYINT UNSIGNED", "cast"),
        ("c_small", "SMALLINT", "cast"), ("c_usmall", "SMALLINT UNSIGNED", "cast"),
        ("c_med", "MEDIUMINT", "cast"), ("c_umed", "MEDIUMINT UNSIGNED", "cast"),
        ("c_int", "INT", "cast"), ("c_uint", "INT UNSIGNED", "cast"),
        ("c_big", "BIGINT", "cast"), ("c_ubig", "BIGINT UNSIGNED", "cast"),
        ("c_dec52", "DECIMAL(5,2)", "cast"), ("c_dec6530", "DECIMAL(65,30)", "cast"), ("c_dec100", "DECIMAL(10,0)", "cast"),
        ("c_dec189", "DECIMAL(18,9)", "cast"), ("c_dec3010", "DECIMAL(30,10) UNSIGNED", "cast"),
        ("c_float", "FLOAT", "raw"), ("c_double", "DOUBLE", "raw"),
        ("c_bit1", "BIT(1)", "bit"), ("c_bit13", "BIT(13)", "bit"), ("c_bit64", "BIT(64)", "bit"),
        ("c_year", "YEAR", "cast"), ("c_date", "DATE", "cast"),
        ("c_time0", "TIME", "cast"), ("c_time1", "TIME(1)", "cast"), ("c_time3", "TIME(3)", "cast"),
        ("c_time4", "TIME(4)", "cast"), ("c_time6", "TIME(6)", "cast"),
        ("c_dt0", "DATETIME", "cast"), ("c_dt2", "DATETIME(2)", "cast"), ("c_dt5", "DATETIME(5)", "cast"), ("c_dt6", "DATETIME(6)", "cast"),
        ("c_ts0", "TIMESTAMP NULL", "cast"), ("c_ts1", "TIMESTAMP(1) NULL", "cast"), ("c_ts3", "TIMESTAMP(3) NULL", "cast"), ("c_ts6", "TIMESTAMP(6) NULL", "cast"),
        ("c_char", "CHAR(10)", "raw"), ("c_char255", "CHAR(255)", "raw"), ("c_varchar", "VARCHAR(100)", "raw"), ("c_varchar2k", "VARCHAR(2000)", "raw"),
        ("c_latin1", "VARCHAR(20) CHARACTER SET latin1", "raw"), ("c_ucs2", "VARCHAR(20) CHARACTER SET ucs2", "raw"),
        ("c_utf16le", "VARCHAR(10) CHARACTER SET utf16le", "raw"), ("c_gbk", "VARCHAR(10) CHARACTER SET gbk", "raw"),
        ("c_binary", "BINARY(8)", "hex"), ("c_varbinary", "VARBINARY(300)", "hex"),
        ("c_tinytext", "TINYTEXT", "raw"), ("c_text", "TEXT", "raw"), ("c_mediumtext", "MEDIUMTEXT", "raw"), ("c_longtext", "LONGTEXT", "raw"),
        ("c_tinyblob", "TINYBLOB", "hex"), ("c_blob", "BLOB", "hex"), ("c_mediumblob", "MEDIUMBLOB", "hex"), ("c_longblob", "LONGBLOB", "hex"),
        ("c_enum", "ENUM('a','bb','ccc')", "cast"), ("c_set", "SET('x','y','z')", "cast"),
        ("c_json", "JSON", "raw"), ("c_geom", "GEOMETRY", "hex"), ("c_point", "POINT", "hex"),
    ];

    public static string CreateTable(string name) =>
        $"CREATE TABLE {name} (id INT PRIMARY KEY, {string.Join(", ", Columns.Select(c => $"{c.Name} {c.Type}"))})";

    public static string SelectExpressions => string.Join(", ", Columns.Select(c => c.Show switch
    {
        "cast" => $"CAST({c.Name} AS CHAR)",
        "hex" => $"HEX({c.Name})",
        "bit" => $"CAST({c.Name} + 0 AS CHAR)",
        _ => c.Name,
    }));

    private const string Max65 = "99999999999999999999999999999999999.999999999999999999999999999999";

    /// <summary>Value lists (after id) for the rows; run with sql_mode='' and time_zone='+00:00'.</summary>
    public static readonly string[] Rows =
    [
        // 1: every column NULL
        string.Join(", ", Columns.Select(_ => "NULL")),
        // 2: minimum values and empty strings
        "-128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, " +
        $"-999.99, '-{Max65}', -9999999999, -999999999.999999999, 0, " +
        "-3.40282e38, -1.7976931348623157e308, b'0', b'0', b'0', 1901, '1000-01-01', " +
        "'-838:59:59', '-838:59:59.9', '-838:59:59.999', '-838:59:59.9999', '-838:59:59.999999', " +
        "'1000-01-01 00:00:00', '1000-01-01 00:00:00.00', '1000-01-01 00:00:00.00000', '1000-01-01 00:00:00.000000', " +
        "'1970-01-01 00:00:01', '1970-01-01 00:00:01.0', '1970-01-01 00:00:01.000', '1970-01-01 00:00:01.000000', " +
        "'', '', '', '', '', '', '', '', x'', x'', '', '', '', '', x'', x'', x'', x'', " +
        "'a', '', '[]', ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POINT(-1.5 2.5)')",
        // 3: maximum values, 4-byte UTF-8, 64 KiB blobs
        "127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, " +
        $"999.99, '{Max65}', 9999999999, 999999999.999999999, '99999999999999999999.9999999999', " +
        "3.40282e38, 1.7976931348623157e308, b'1', b'1111111111111', " +
        "b'1111111111111111111111111111111111111111111111111111111111111111', 2155, '9999-12-31', " +
        "'838:59:59', '838:59:59.9', '838:59:59.999', '838:59:59.9999', '838:59:59.999999', " +
        "'9999-12-31 23:59:59', '9999-12-31 23:59:59.99', '9999-12-31 23:59:59.99999', '9999-12-31 23:59:59.999999', " +
        "'2038-01-19 03:14:07', '2038-01-19 03:14:07.9', '2038-01-19 03:14:07.999', '2038-01-19 03:14:07.999999', " +
        "'abcdefghij', REPEAT('😀', 255), REPEAT('v', 100), REPEAT('é𝄞', 1000), " +
        "'café ÿ€', 'ĀŁ€ß', '😀ab', '中文字', x'0102030405060708', UNHEX(REPEAT('FF', 300)), " +
        "REPEAT('t', 255), REPEAT('😀', 16383), REPEAT('m', 70000), REPEAT('L', 100000), " +
        "UNHEX(REPEAT('AB', 255)), UNHEX(REPEAT('CD', 65535)), UNHEX(REPEAT('00EE', 40000)), UNHEX(REPEAT('5A', 65537)), " +
        "'ccc', 'x,y,z', '{\"a\": [1, 2.5, \"😀\"], \"b\": null}', " +
        "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))'), ST_GeomFromText('POINT(1e300 -1e-300)')",
        // 4: zeros and zero dates, negative times just below zero
        "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '-0.000000000000000000000000000001', 0, 0, 0, 0, 0, b'0', b'0', b'0', 0, '0000-00-00', " +
        "'00:00:00', '-00:00:00.1', '-00:00:00.001', '-00:00:00.0001', '-00:00:00.000001', " +
        "'0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', " +
        "'0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', " +
        "' ', 'x', ' lead', 'trail  ', 'a', 'b', 'c', 'd', x'00', x'00', 'a', 'b', 'c', 'd', x'00', x'00', x'00', x'00', " +
        "'', '', '{}', ST_GeomFromText('LINESTRING(0 0,1 1)'), ST_GeomFromText('POINT(0 0)')",
        // 5: everyday values with fractions of every precision
        "-1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -0.5, '-1.5', 42, '0.000000001', '0.0000000001', 3.14159, 2.718281828459045, " +
        "b'1', b'101', b'1000000000000000000000000000000000000000000000000000000000000001', 1970, '2024-00-00', " +
        "'-12:34:56', '-12:34:56.5', '-12:34:56.789', '-00:00:01.0001', '-00:00:00.500001', " +
        "'2024-02-29 12:34:56', '2024-02-29 12:34:56.12', '2024-02-29 12:34:56.12345', '2024-02-29 12:34:56.123456', " +
        "'2024-02-29 12:34:56', '2024-02-29 12:34:56.1', '2024-02-29 12:34:56.123', '2024-02-29 12:34:56.123456', " +
        "'a  ', 'Straße', 'naïve', 'ok', 'à', 'Ω', 'x', 'y', 'ab', 'abc', 'tiny', 'text', 'medium', 'long', x'01', x'02', x'03', x'04', " +
        "'bb', 'x,z', '{\"k\": \"v\\\\n\"}', ST_GeomFromText('MULTIPOINT(1 1,2 2)'), ST_GeomFromText('POINT(3 4)')",
    ];

    public const string Update =
        "UPDATE {0} SET c_varchar = CONCAT(IFNULL(c_varchar, ''), '!'), c_big = IFNULL(c_big, 0) DIV 2, " +
        "c_ts6 = '2001-02-03 04:05:06.654321', c_blob = NULL, c_time6 = '-01:02:03.000004', c_enum = 'bb', c_json = '[true]'";
}
