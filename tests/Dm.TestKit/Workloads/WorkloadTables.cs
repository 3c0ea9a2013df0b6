namespace Dm.TestKit.Workloads;

/// <summary>
/// The workload's fixed tables over two schemas, one of whose names needs quoting: a primary key table, the table of
/// every column type, one of MariaDB's own types (UUID, INET6), a table with only a UNIQUE key, a composite primary key, and a table without any key
/// (duplicate rows allowed). Tables created and dropped during the run live beside them.
/// </summary>
public sealed record WorkloadTables(string SchemaA = "wl_a", string SchemaB = "wl-b")
{
    public (string Schema, string Table) Orders => (SchemaA, "orders");
    public (string Schema, string Table) AllTypes => (SchemaA, "all types");
    public (string Schema, string Table) MariaDbTypes => (SchemaB, "mariadb types");
    public (string Schema, string Table) UniqueOnly => (SchemaB, "uk only");
    public (string Schema, string Table) Composite => (SchemaB, "composite pk");
    public (string Schema, string Table) NoKey => (SchemaB, "no_key");

    public IReadOnlyList<string> Schemas => [SchemaA, SchemaB];

    /// <summary>Whether the table of MariaDB's own types is part of the run (off keeps a known failure there from hiding others).</summary>
    public bool WithMariaDbTypes { get; init; } = true;

    public IReadOnlyList<(string Schema, string Table)> Fixed =>
        WithMariaDbTypes ? [Orders, AllTypes, MariaDbTypes, UniqueOnly, Composite, NoKey] : [Orders, AllTypes, UniqueOnly, Composite, NoKey];

    /// <summary>CREATE statements for both schemas and the fixed tables.</summary>
    public IEnumerable<string> CreateStatements()
    {
        yield return $"CREATE DATABASE {SqlText.Name(SchemaA)}";
        yield return $"CREATE DATABASE {SqlText.Name(SchemaB)}";
        yield return $"""
            CREATE TABLE {Q(Orders)} (id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, `note text` VARCHAR(64), amount DECIMAL(12,2),
              created DATETIME(6), payload BLOB, KEY k_idx (k))
            """;
        yield return $"CREATE TABLE {Q(AllTypes)} (id BIGINT NOT NULL PRIMARY KEY, " +
            string.Join(", ", AllTypesColumns.Columns.Select(c => $"{SqlText.Name(c.Name)} {c.Type}")) + ")";
        if (WithMariaDbTypes)
            yield return $"CREATE TABLE {Q(MariaDbTypes)} (id BIGINT NOT NULL PRIMARY KEY, " +
                string.Join(", ", AllTypesColumns.MariaDbColumns.Select(c => $"{SqlText.Name(c.Name)} {c.Type}")) + ")";
        yield return $"CREATE TABLE {Q(UniqueOnly)} (u BIGINT NOT NULL, w VARCHAR(32), n INT, UNIQUE KEY uk (u))";
        yield return $"CREATE TABLE {Q(Composite)} (g INT NOT NULL, h VARCHAR(20) NOT NULL, val BIGINT, `select` VARCHAR(10), PRIMARY KEY (g, h))";
        // A FLOAT too: rows without a key are found by every value, and a float's shortest text does not match what is stored.
        yield return $"CREATE TABLE {Q(NoKey)} (a INT, b VARCHAR(16), c DATETIME, f FLOAT)";
    }

    /// <summary>Seed rows made on the server (ids 1..rows), so a full copy has something to copy.</summary>
    public IEnumerable<string> SeedStatements(int rows)
    {
        if (rows <= 0) yield break;
        yield return $"""
            INSERT INTO {Q(Orders)} (id, k, `note text`, amount, created, payload)
              SELECT seq, seq % 1000, CONCAT('seed ', seq), seq / 7, TIMESTAMP('2024-01-01 00:00:00.5') + INTERVAL seq SECOND,
                     IF(seq % 10 = 0, UNHEX(REPEAT('00FF', 50)), NULL) FROM {Seq}{rows}
            """;
        yield return $"INSERT INTO {Q(UniqueOnly)} SELECT seq, CONCAT('u', seq), seq % 7 FROM {Seq}{rows}";
        yield return $"INSERT INTO {Q(Composite)} SELECT seq % 50, CONCAT('h', seq), seq * 3, 'sel' FROM {Seq}{rows}";
        yield return $"INSERT INTO {Q(NoKey)} SELECT seq % 100, IF(seq % 3 = 0, 'dup', CONCAT('b', seq % 10)), NULL, (seq % 7) / 10 FROM {Seq}{rows}";
        yield return $"INSERT INTO {Q(AllTypes)} (id, c_int, c_varchar, c_dt6, c_json) SELECT seq, seq, CONCAT('seed ', seq), " +
            $"TIMESTAMP('2020-02-02 02:02:02.123456') + INTERVAL seq MINUTE, JSON_OBJECT('seed', seq) FROM {Seq}{Math.Min(rows, 2000)}";
    }

    /// <summary>The Sequence engine's virtual tables exist in every schema; the workload's own is always there.</summary>
    public string Seq => SqlText.Name(SchemaA) + ".seq_1_to_";

    private static string Q((string Schema, string Table) table) => SqlText.Name(table.Schema, table.Table);
}
