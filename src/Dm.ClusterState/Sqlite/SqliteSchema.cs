using Microsoft.Data.Sqlite;

namespace Dm.ClusterState.Sqlite;

/// <summary>
/// The store's tables. kv holds the current keys; history holds every change (one row per key per
/// revision, "sub" orders changes inside one revision) so a watch can replay from any kept revision;
/// meta holds the revision counter and the compacted revision; leases holds granted leases.
/// Keys are BLOBs so SQLite's memcmp order equals etcd's byte order.
/// </summary>
internal static class SqliteSchema
{
    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT OR IGNORE INTO meta (name, value) VALUES ('schema_version', 1), ('revision', 1), ('compact_revision', 0);
        CREATE TABLE IF NOT EXISTS kv (
            key BLOB PRIMARY KEY, value BLOB NOT NULL,
            create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS kv_by_lease ON kv (lease);
        CREATE TABLE IF NOT EXISTS history (
            rev INTEGER NOT NULL, sub INTEGER NOT NULL, key BLOB NOT NULL, deleted INTEGER NOT NULL, value BLOB,
            create_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL, prev_rev INTEGER NOT NULL,
            PRIMARY KEY (rev, sub)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS leases (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL);
        """;

    public static SqliteConnection OpenConnection(string dbPath, bool forWrites)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = dbPath,
            Mode = forWrites ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        try
        {
            // WAL: readers never block the writer. synchronous=FULL: an acknowledged write survives power loss
            // (the writer batches concurrent requests into one transaction, so one fsync serves many). secure_delete: a
            // replaced or compacted value (an old password) is overwritten with zeros, not left in a free page or cell.
            Execute(connection, "PRAGMA busy_timeout = 30000;");
            if (forWrites)
            {
                Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;");
                Execute(connection, CreateTables);
            }
            else
            {
                Execute(connection, "PRAGMA query_only = 1;");
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
            command.Parameters.Add(name, type);
        command.Prepare();
        return command;
    }

    /// <summary>Reads a kv row laid out as key, value, create_rev, mod_rev, version, lease from <paramref name="first"/>.</summary>
    public static KeyValue ReadKv(SqliteDataReader reader, int first = 0) => new(
        System.Text.Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(first)),
        reader.GetFieldValue<byte[]>(first + 1),
        reader.GetInt64(first + 2), reader.GetInt64(first + 3), reader.GetInt64(first + 4), reader.GetInt64(first + 5));
}
