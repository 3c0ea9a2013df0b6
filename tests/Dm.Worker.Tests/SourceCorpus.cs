using Dm.Core.Rules;
using MySqlConnector;

namespace Dm.Worker.Tests;

/// <summary>
/// The source data: every column type (with NULLs, extremes, zero dates, fractions, 4-byte UTF-8, all byte
/// values), a 300k-row table, a table without any key holding duplicate rows, an empty table, a unique-key
/// table, names needing quoting, a routed schema and tables the block-allow list excludes.
/// </summary>
public static class SourceCorpus
{
    public const int BigRows = 300_000;

    public static BlockAllowListRules BlockAllowList() => new()
    {
        IgnoreDbs = ["skip_db"],
        IgnoreTables = [new TablePattern("types_db", "ignored_tbl")],
    };

    public static List<RouteRule> Routes() =>
    [
        new RouteRule { SchemaPattern = "route_src", TargetSchema = "route_dst" },
        new RouteRule { SchemaPattern = "route_src", TablePattern = "orig_*", TargetSchema = "route_dst", TargetTable = "renamed" },
    ];

    public static IEnumerable<((string, string), (string, string))> ExpectedTables() =>
    [
        (("types_db", "all_types"), ("types_db", "all_types")),
        (("types_db", "uk_tbl"), ("types_db", "uk_tbl")),
        (("types_db", "nopk"), ("types_db", "nopk")),
        (("types_db", "empty_tbl"), ("types_db", "empty_tbl")),
        (("big_db", "big"), ("big_db", "big")),
        (("we`ird-db", "ta ble"), ("we`ird-db", "ta ble")),
        (("route_src", "plain"), ("route_dst", "plain")),
        (("route_src", "orig_1"), ("route_dst", "renamed")),
    ];

    public static IEnumerable<(string, string)> NotMigrated() =>
        [("skip_db", "t"), ("types_db", "ignored_tbl"), ("route_src", "plain"), ("route_dst", "orig_1")];

    public static async Task CreateAsync(MySqlConnection c)
    {
        foreach (var sql in Statements())
        {
            await using var command = new MySqlCommand(sql, c) { CommandTimeout = 300 };
            await command.ExecuteNonQueryAsync();
        }
    }

    private static IEnumerable<string> Statements()
    {
        yield return "SET SESSION sql_mode = ''";
        yield return "SET SESSION time_zone = '+03:00'";
        yield return "CREATE DATABASE types_db";
        yield return "USE types_db";
        yield return """
            CREATE TABLE types_db.all_types (
              id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              c_tiny TINYINT, c_utiny TINYINT UNSIGNED, c_small SMALLINT, c_med MEDIUMINT, c_int INT,
              c_big BIGINT, c_ubig BIGINT UNSIGNED, c_dec DECIMAL(30,10), c_float FLOAT, c_double DOUBLE,
              c_bit1 BIT(1), c_bit64 BIT(64),
              c_date DATE, c_dt DATETIME(6), c_ts TIMESTAMP(3) NULL DEFAULT NULL, c_time TIME(4), c_year YEAR,
              c_char CHAR(10), c_varchar VARCHAR(255), c_text TEXT, c_latin VARCHAR(50) CHARACTER SET latin1,
              c_uni VARCHAR(50) COLLATE utf8mb4_unicode_ci,
              c_bin BINARY(8), c_varbin VARBINARY(300), c_blob BLOB, c_longblob LONGBLOB,
              c_enum ENUM('a','b','c d'), c_set SET('x','y','z'), c_json JSON, c_point POINT NULL,
              c_gen BIGINT AS (c_int * 2) VIRTUAL,
              `select` INT COMMENT 'reserved word name',
              KEY ix_dt_int (c_dt, c_int) COMMENT 'plain keys are added after the rows',
              FULLTEXT KEY ft_text (c_text),
              KEY ix_gen (c_gen)
            ) DEFAULT CHARSET=utf8mb4
            """;
        yield return """
            INSERT INTO types_db.all_types (c_tiny, c_utiny, c_small, c_med, c_int, c_big, c_ubig, c_dec, c_float, c_double,
              c_bit1, c_bit64, c_date, c_dt, c_ts, c_time, c_year, c_char, c_varchar, c_text, c_latin, c_uni,
              c_bin, c_varbin, c_blob, c_longblob, c_enum, c_set, c_json, c_point, `select`) VALUES
            (-128, 255, -32768, -8388608, -2147483648, -9223372036854775808, 18446744073709551615,
              '-99999999999999999999.9999999999', -3.40282e38, -1.7976931348623157e308,
              b'1', b'1111111111111111111111111111111111111111111111111111111111111111',
              '1000-01-01', '1000-01-01 00:00:00.000000', '1970-01-01 03:00:01.000', '-838:59:59.0000', 1901,
              '', '', '', '', '', '', '', '', '', 'a', '', '{}', POINT(-180, -90), 0),
            (127, 0, 32767, 8388607, 2147483647, 9223372036854775807, 0,
              '99999999999999999999.9999999999', 3.40282e38, 1.7976931348623157e308,
              b'0', b'0', '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 06:14:07.999', '838:59:59.9999', 2155,
              'abcdefghij', REPEAT('z', 255), REPEAT('long text ', 500), 'café', 'Ünïcödé',
              X'0001020304050607', X'00FF', X'DEADBEEF', REPEAT(X'00FF10', 1000), 'c d', 'x,y,z',
              '{"a":[1,2,{"b":"😀"}],"c":null}', POINT(1.5, 2.25), 1),
            (0, 1, 0, 0, 0, 0, 1, '0.0000000001', 0.1, 5e-324, NULL, NULL,
              '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '00:00:00.0001', 0,
              'q''uote', 'back\\slash \\n not newline', 'real\nnewline;\nsemicolon; INSERT INTO x VALUES (1);\n', 'Ææ', '😀 𝄞 中文',
              X'27275C00', X'3B0A', X'00', X'', 'b', '', '"just a string"', NULL, NULL),
            (1, 2, 3, 4, 1234567, 5, 6, '12345.6789', 1234567.0, 0.30000000000000004, b'1', b'101',
              '2024-02-29', '2024-02-29 12:34:56.5', '2024-02-29 12:34:56.789', '12:34:56.1234', 2024,
              'tab	tab', 'ends with backslash \\', 'ctrl-z \Z and nul \0 inside', 'x', 'y',
              NULL, NULL, NULL, NULL, NULL, 'y,x', '[1.5, -2e10, true, false]', POINT(0, 0), NULL),
            (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
              NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
            """;
        yield return """
            INSERT INTO types_db.all_types (c_int, c_big, c_dec, c_float, c_double, c_bit64, c_dt, c_ts, c_varchar, c_latin, c_varbin, c_json, c_enum)
            SELECT seq, seq * 1000003, seq / 7, seq / 3, seq / 9, seq, '2020-01-01' + INTERVAL seq SECOND,
              '2021-06-01' + INTERVAL seq MINUTE, CONCAT('row ', seq, ' ', CHAR(seq % 256 USING latin1)),
              CHAR(32 + seq % 200 USING latin1), UNHEX(MD5(seq)), JSON_OBJECT('n', seq), ELT(1 + seq % 3, 'a', 'b', 'c d')
            FROM seq_1_to_3000
            """;
        yield return "CREATE TABLE types_db.uk_tbl (uid BIGINT UNSIGNED NOT NULL, v VARCHAR(20), UNIQUE KEY uk (uid))";
        yield return "INSERT INTO types_db.uk_tbl SELECT seq * 3 + 18000000000000000000, CONCAT('v', seq) FROM seq_1_to_50000";
        yield return "CREATE TABLE types_db.nopk (a INT, b VARCHAR(10))";
        yield return "INSERT INTO types_db.nopk VALUES (1, 'dup'), (1, 'dup'), (1, 'dup'), (2, NULL), (NULL, NULL), (NULL, NULL)";
        yield return "CREATE TABLE types_db.empty_tbl (id INT PRIMARY KEY, v TEXT)";
        yield return "CREATE TABLE types_db.ignored_tbl (id INT PRIMARY KEY)";
        yield return "INSERT INTO types_db.ignored_tbl VALUES (1)";
        yield return "CREATE DATABASE big_db";
        yield return "CREATE TABLE big_db.big (id INT UNSIGNED NOT NULL PRIMARY KEY, k INT NOT NULL, c CHAR(60) NOT NULL, pad CHAR(40) NOT NULL, KEY k_1 (k))";
        yield return $"INSERT INTO big_db.big SELECT seq, seq % 1000, MD5(seq), SHA1(seq) FROM seq_1_to_{BigRows}";
        yield return "ANALYZE TABLE big_db.big, types_db.uk_tbl, types_db.all_types";
        yield return "CREATE DATABASE `we``ird-db`";
        yield return "CREATE TABLE `we``ird-db`.`ta ble` (`k;ey` VARCHAR(20) PRIMARY KEY, `va'l` TEXT, `b``q` INT)";
        yield return "INSERT INTO `we``ird-db`.`ta ble` VALUES ('a', 'x', 1), ('b\\'', 'y;\n', 2), ('😀', NULL, 3)";
        yield return "CREATE DATABASE skip_db";
        yield return "CREATE TABLE skip_db.t (id INT PRIMARY KEY)";
        yield return "INSERT INTO skip_db.t VALUES (1)";
        yield return "CREATE DATABASE route_src";
        yield return "CREATE TABLE route_src.plain (id INT PRIMARY KEY, v VARCHAR(10))";
        yield return "INSERT INTO route_src.plain VALUES (1, 'p1'), (2, 'p2')";
        yield return "CREATE TABLE route_src.orig_1 (id INT PRIMARY KEY, v VARCHAR(10))";
        yield return "INSERT INTO route_src.orig_1 VALUES (1, 'o1'), (2, 'o2'), (3, 'o3')";
    }
}
