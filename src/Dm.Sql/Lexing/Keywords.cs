namespace Dm.Sql.Lexing;

/// <summary>
/// Words the parser looks for, interned so a lexed keyword carries a shared string and the parser
/// compares by reference; and the reserved words, which must be quoted to be used as identifiers.
/// </summary>
public static class Keywords
{
    private static readonly string[] Known =
    [
        "ACTION", "ADD", "AFTER", "AGAINST", "ALGORITHM", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS", "ASC",
        "AUTO_INCREMENT", "AUTOEXTEND_SIZE", "AVG_ROW_LENGTH", "BEGIN", "BETWEEN", "BIGINT", "BINARY", "BINLOG", "BIT",
        "BLOB", "BOOL", "BOOLEAN", "BTREE", "BY", "BYTE", "CALL", "CASCADE", "CASCADED", "CASE", "CHANGE", "CHAR",
        "CHARACTER", "CHARSET", "CHECK", "CHECKSUM", "COALESCE", "COLLATE", "COLUMN", "COLUMNS", "COLUMN_FORMAT",
        "COMMENT", "COMMIT", "COMPRESSED", "COMPRESSION", "CONNECTION", "CONSTRAINT", "CONVERT", "CREATE", "CURRENT",
        "CURRENT_TIMESTAMP", "DATA", "DATABASE", "DATABASES", "DATE", "DATETIME", "DEC", "DECIMAL", "DEFAULT", "DEFINER",
        "DELAY_KEY_WRITE", "DELETE", "DESC", "DETERMINISTIC", "DIRECTORY", "DISABLE", "DISCARD", "DISK", "DISTINCT",
        "DO", "DOUBLE", "DROP", "DUPLICATE", "DYNAMIC", "ELSE", "ENABLE", "ENCRYPTED", "ENCRYPTION", "ENCRYPTION_KEY_ID",
        "END", "ENFORCED", "ENGINE", "ENGINE_ATTRIBUTE", "ENUM", "EVENT", "EXCHANGE", "EXISTS", "FALSE", "FIRST",
        "FIXED", "FLOAT", "FLUSH", "FOR", "FORCE", "FOREIGN", "FROM", "FULL", "FULLTEXT", "FUNCTION", "GENERATED",
        "GEOMETRY", "GRANT", "HASH", "HISTORY", "IF", "IGNORE", "IGNORED", "IMPORT", "IN", "INDEX", "INPLACE", "INSERT",
        "INSTANT", "INT", "INTEGER", "INTERVAL", "INTO", "INVISIBLE", "IS", "JSON", "KEY", "KEYS", "KEY_BLOCK_SIZE",
        "LESS", "LIKE", "LIMIT", "LINEAR", "LIST", "LOCAL", "LOCK", "LONG", "LONGBLOB", "LONGTEXT", "MATCH",
        "MAXVALUE", "MAX_ROWS", "MEDIUMBLOB", "MEDIUMINT", "MEDIUMTEXT", "MEMORY", "MERGE", "MIN_ROWS", "MODIFY",
        "NATIONAL", "NCHAR", "NO", "NOT", "NOWAIT", "NULL", "NUMERIC", "NVARCHAR", "OFFLINE", "ON", "ONLINE",
        "OPTIMIZE", "OR", "ORDER", "PACK_KEYS", "PARSER", "PARTIAL", "PARTITION", "PARTITIONING", "PARTITIONS",
        "PERIOD", "PERSISTENT", "PRECISION", "PRIMARY", "PROCEDURE", "REAL", "REBUILD", "REDUNDANT", "REFERENCES",
        "RENAME", "REORGANIZE", "REPAIR", "REPLACE", "RESTRICT", "ROLLBACK", "ROW_FORMAT", "RTREE", "SCHEMA",
        "SECURITY", "SELECT", "SEQUENCE", "SERIAL", "SET", "SHARED", "SIGNED", "SIMPLE", "SMALLINT", "SPATIAL", "SQL",
        "SRID", "STATS_AUTO_RECALC", "STATS_PERSISTENT", "STATS_SAMPLE_PAGES", "STORAGE", "STORED", "SYSTEM",
        "SYSTEM_TIME", "TABLE", "TABLES", "TABLESPACE", "TEMPORARY", "TEMPTABLE", "TEXT", "THAN", "THEN", "TIME",
        "TIMESTAMP", "TINYBLOB", "TINYINT", "TINYTEXT", "TO", "TRANSACTION", "TRIGGER", "TRUE", "TRUNCATE", "UNDEFINED",
        "UNICODE", "UNION", "UNIQUE", "UNSIGNED", "UPDATE", "UPGRADE", "USE", "USER", "USING", "VALIDATION", "VALUES",
        "VARBINARY", "VARCHAR", "VARCHARACTER", "VARYING", "VERSIONING", "VIEW", "VIRTUAL", "VISIBLE", "WAIT", "WHEN",
        "WHERE", "WITH", "WITHOUT", "XOR", "YEAR", "ZEROFILL", "ASCII", "ROW", "VECTOR", "UUID", "INET4", "INET6",
        "RANGE", "VALUE", "NODEGROUP", "SUBPARTITION", "SUBPARTITIONS", "REMOVE", "START", "ONLY", "READ", "NAME",
        "CURRENT_USER", "ROLE", "ALWAYS", "NONE", "SHOW", "EXPLAIN", "DESCRIBE", "REVOKE", "SAVEPOINT", "RELEASE",
        "XA", "LOAD", "UNLOCK", "INSTALL", "UNINSTALL", "PURGE", "RESET", "KILL", "HANDLER", "PREPARE", "EXECUTE",
        "DEALLOCATE", "CACHE", "CHECKPOINT", "STOP", "SHUTDOWN", "HELP", "BACKUP", "SIGNAL", "RESIGNAL", "GET",
    ];

    /// <summary>Words that cannot be unquoted identifiers in the positions the DDL parser reads.</summary>
    private static readonly HashSet<string> ReservedSet = new(
    [
        "ADD", "ALL", "ALTER", "ANALYZE", "AND", "AS", "ASC", "BETWEEN", "BIGINT", "BINARY", "BLOB", "BY", "CASCADE",
        "CASE", "CHANGE", "CHAR", "CHARACTER", "CHECK", "COLLATE", "COLUMN", "CONSTRAINT", "CONVERT", "CREATE",
        "CURRENT_TIMESTAMP", "DATABASE", "DATABASES", "DEC", "DECIMAL", "DEFAULT", "DELETE", "DESC", "DISTINCT",
        "DOUBLE", "DROP", "ELSE", "EXISTS", "FALSE", "FLOAT", "FOR", "FORCE", "FOREIGN", "FROM", "FULLTEXT",
        "GENERATED", "GRANT", "IF", "IGNORE", "IN", "INDEX", "INSERT", "INT", "INTEGER", "INTERVAL", "INTO", "IS",
        "KEY", "KEYS", "LIKE", "LIMIT", "LINEAR", "LOCK", "LONG", "LONGBLOB", "LONGTEXT", "MATCH", "MAXVALUE",
        "MEDIUMBLOB", "MEDIUMINT", "MEDIUMTEXT", "NOT", "NULL", "NUMERIC", "ON", "OPTIMIZE", "OR", "ORDER",
        "PARTITION", "PRECISION", "PRIMARY", "PROCEDURE", "REAL", "REFERENCES", "RENAME", "REPLACE",
        "RESTRICT", "SCHEMA", "SELECT", "SET", "SMALLINT", "SPATIAL", "SQL", "STORED", "TABLE", "THEN", "TINYBLOB",
        "TINYINT", "TINYTEXT", "TO", "TRIGGER", "TRUE", "UNION", "UNIQUE", "UNSIGNED", "UPDATE", "USE", "USING",
        "VALUES", "VARBINARY", "VARCHAR", "VARCHARACTER", "VARYING", "VIRTUAL", "WHEN", "WHERE", "WITH", "XOR",
        "ZEROFILL",
    ], StringComparer.Ordinal);

    private static readonly Dictionary<string, string> Map = BuildMap();
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Map.GetAlternateLookup<ReadOnlySpan<char>>();

    private static Dictionary<string, string> BuildMap()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var word in Known) map[word] = string.Intern(word);
        return map;
    }

    /// <summary>The shared upper-case string of a known keyword, or null for any other word.</summary>
    public static string? Canonical(ReadOnlySpan<char> word) => Lookup.TryGetValue(word, out var upper) ? upper : null;

    public static bool IsReserved(string? canonical) => canonical != null && ReservedSet.Contains(canonical);

    /// <summary>Reserved check for any word (canonical or not).</summary>
    public static bool IsReservedWord(ReadOnlySpan<char> word) =>
        Lookup.TryGetValue(word, out var upper) && ReservedSet.Contains(upper);
}
