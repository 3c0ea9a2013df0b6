using System.Text;
using Microsoft.Data.Sqlite;

namespace Dm.ClusterState.Sqlite;

/// <summary>
/// The one write connection and its prepared statements. Applies transactions, lease changes and
/// compaction inside a batch transaction opened by <see cref="Begin"/>; only the store's writer loop
/// calls it, so it needs no locking. Operations validate before they write, so a rejected request
/// (failed lease check, bad op list) leaves nothing behind in the batch.
/// </summary>
internal sealed class SqliteKvWriter : IDisposable
{
    private const string KvColumns = "key, value, create_rev, mod_rev, version, lease";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _begin, _commit, _rollback;
    private readonly SqliteCommand _selectKv, _selectBounded, _selectUnbounded, _selectByLease;
    private readonly SqliteCommand _upsertKv, _deleteKv, _insertHistory;
    private readonly SqliteCommand _leaseExists, _insertLease, _deleteLease, _selectLeases;
    private readonly SqliteCommand _selectMeta, _setMeta, _compactHistory;
    private long _revisionInMeta;

    public SqliteKvWriter(string dbPath)
    {
        _connection = SqliteSchema.OpenConnection(dbPath, forWrites: true);
        var c = _connection;
        _begin = SqliteSchema.Prepare(c, "BEGIN IMMEDIATE");
        _commit = SqliteSchema.Prepare(c, "COMMIT");
        _rollback = SqliteSchema.Prepare(c, "ROLLBACK");
        _selectKv = SqliteSchema.Prepare(c, $"SELECT {KvColumns} FROM kv WHERE key = @key", ("@key", SqliteType.Blob));
        _selectBounded = SqliteSchema.Prepare(c, $"SELECT {KvColumns} FROM kv WHERE key >= @start AND key < @end ORDER BY key",
            ("@start", SqliteType.Blob), ("@end", SqliteType.Blob));
        _selectUnbounded = SqliteSchema.Prepare(c, $"SELECT {KvColumns} FROM kv WHERE key >= @start ORDER BY key", ("@start", SqliteType.Blob));
        _selectByLease = SqliteSchema.Prepare(c, $"SELECT {KvColumns} FROM kv WHERE lease = @lease ORDER BY key", ("@lease", SqliteType.Integer));
        _upsertKv = SqliteSchema.Prepare(c,
            "INSERT OR REPLACE INTO kv (key, value, create_rev, mod_rev, version, lease) VALUES (@key, @value, @create, @mod, @version, @lease)",
            ("@key", SqliteType.Blob), ("@value", SqliteType.Blob), ("@create", SqliteType.Integer),
            ("@mod", SqliteType.Integer), ("@version", SqliteType.Integer), ("@lease", SqliteType.Integer));
        _deleteKv = SqliteSchema.Prepare(c, "DELETE FROM kv WHERE key = @key", ("@key", SqliteType.Blob));
        _insertHistory = SqliteSchema.Prepare(c,
            "INSERT INTO history (rev, sub, key, deleted, value, create_rev, version, lease, prev_rev) " +
            "VALUES (@rev, @sub, @key, @deleted, @value, @create, @version, @lease, @prev)",
            ("@rev", SqliteType.Integer), ("@sub", SqliteType.Integer), ("@key", SqliteType.Blob), ("@deleted", SqliteType.Integer),
            ("@value", SqliteType.Blob), ("@create", SqliteType.Integer), ("@version", SqliteType.Integer),
            ("@lease", SqliteType.Integer), ("@prev", SqliteType.Integer));
        _leaseExists = SqliteSchema.Prepare(c, "SELECT 1 FROM leases WHERE id = @id", ("@id", SqliteType.Integer));
        _insertLease = SqliteSchema.Prepare(c, "INSERT INTO leases (id, ttl) VALUES (@id, @ttl)", ("@id", SqliteType.Integer), ("@ttl", SqliteType.Integer));
        _deleteLease = SqliteSchema.Prepare(c, "DELETE FROM leases WHERE id = @id", ("@id", SqliteType.Integer));
        _selectLeases = SqliteSchema.Prepare(c, "SELECT id, ttl FROM leases");
        _selectMeta = SqliteSchema.Prepare(c, "SELECT value FROM meta WHERE name = @name", ("@name", SqliteType.Text));
        _setMeta = SqliteSchema.Prepare(c, "UPDATE meta SET value = @value WHERE name = @name", ("@name", SqliteType.Text), ("@value", SqliteType.Integer));
        _compactHistory = SqliteSchema.Prepare(c, "DELETE FROM history WHERE rev <= @rev", ("@rev", SqliteType.Integer));
        try
        {
            long schemaVersion = GetMeta("schema_version");
            if (schemaVersion != 1)
                throw new InvalidDataException($"'{dbPath}' has cluster-state schema version {schemaVersion}; this build reads version 1");
            LoadMeta();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>The revision of the last applied write (committed once the batch commits).</summary>
    public long Revision { get; private set; }

    public long CompactRevision { get; private set; }

    public void Begin() => _begin.ExecuteNonQuery();

    public void Commit()
    {
        if (Revision != _revisionInMeta)
            SetMeta("revision", Revision);
        _commit.ExecuteNonQuery();
        _revisionInMeta = Revision;
    }

    /// <summary>Abandons the batch and forgets the revisions it had assigned.</summary>
    public void Rollback()
    {
        try
        {
            _rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled back on its own (e.g. disk full); the state reload below is what matters.
        }
        LoadMeta();
    }

    public List<(long Id, long TtlSeconds)> ReadLeases()
    {
        var leases = new List<(long, long)>();
        using var reader = _selectLeases.ExecuteReader();
        while (reader.Read())
            leases.Add((reader.GetInt64(0), reader.GetInt64(1)));
        return leases;
    }

    public TxnResult ApplyTxn(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then, IReadOnlyList<TxnOp>? otherwise)
    {
        // etcd checks both branches' shapes before it evaluates the compares, and the leases of the branch that runs.
        ValidateBranch(then);
        ValidateBranch(otherwise ?? []);
        bool succeeded = compares.All(c => c.IsSatisfiedBy(ReadKv(Encoding.UTF8.GetBytes(c.Key))));
        var ops = succeeded ? then : otherwise ?? [];
        foreach (var op in ops)
        {
            if (op.Kind == TxnOpKind.Put && op.LeaseId != 0 && !LeaseExists(op.LeaseId))
                throw new LeaseNotFoundException(op.LeaseId);
        }

        long revision = Revision + 1;
        int sub = 0;
        var results = new List<TxnOpResult>(ops.Count);
        foreach (var op in ops)
        {
            byte[] key = Encoding.UTF8.GetBytes(op.Key);
            switch (op.Kind)
            {
                case TxnOpKind.Get:
                    results.Add(ReadKv(key) is { } found ? new TxnOpResult([found], 0) : TxnOpResult.Empty);
                    break;
                case TxnOpKind.GetPrefix:
                    results.Add(new TxnOpResult(ReadRange(KeyRange.ForPrefix(op.Key)), 0));
                    break;
                case TxnOpKind.Put:
                    WritePut(key, op.Value ?? [], op.LeaseId, revision, sub++);
                    results.Add(TxnOpResult.Empty);
                    break;
                case TxnOpKind.Delete:
                    long deleted = 0;
                    if (ReadKv(key) is { } existing)
                    {
                        WriteDelete(existing, revision, sub++);
                        deleted = 1;
                    }
                    results.Add(new TxnOpResult([], deleted));
                    break;
                case TxnOpKind.DeletePrefix:
                    var doomed = ReadRange(KeyRange.ForPrefix(op.Key));
                    foreach (var victim in doomed)
                        WriteDelete(victim, revision, sub++);
                    results.Add(new TxnOpResult([], doomed.Count));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(ops), op.Kind, "unknown transaction operation");
            }
        }
        if (sub > 0)
            Revision = revision;
        return new TxnResult(succeeded, Revision, results);
    }

    // etcd's rules for one branch: every key is given; a key is put at most once and not also deleted (by key or
    // prefix) in the branch; deletes may overlap each other.
    private static void ValidateBranch(IReadOnlyList<TxnOp> ops)
    {
        var puts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in ops)
        {
            if (op.Kind is not TxnOpKind.GetPrefix and not TxnOpKind.DeletePrefix && string.IsNullOrEmpty(op.Key))
                throw new ArgumentException("key is not provided (an empty key) in a transaction operation");
            if (op.Kind == TxnOpKind.Put && !puts.Add(op.Key))
                throw new ArgumentException($"duplicate key '{op.Key}' given in one transaction branch");
        }
        foreach (var op in ops)
        {
            string? overlapping = op.Kind switch
            {
                TxnOpKind.Delete => puts.Contains(op.Key) ? op.Key : null,
                TxnOpKind.DeletePrefix => puts.FirstOrDefault(k => k.StartsWith(op.Key, StringComparison.Ordinal)),
                _ => null,
            };
            if (overlapping is not null)
                throw new ArgumentException($"key '{overlapping}' is both put and deleted in one transaction branch");
        }
    }

    public void GrantLease(long leaseId, long ttlSeconds)
    {
        _insertLease.Parameters["@id"].Value = leaseId;
        _insertLease.Parameters["@ttl"].Value = ttlSeconds;
        _insertLease.ExecuteNonQuery();
    }

    public bool LeaseExists(long leaseId)
    {
        _leaseExists.Parameters["@id"].Value = leaseId;
        return _leaseExists.ExecuteScalar() is not null;
    }

    /// <summary>Deletes the lease and its keys (one revision if any key existed).</summary>
    public void RevokeLease(long leaseId)
    {
        if (!LeaseExists(leaseId))
            throw new LeaseNotFoundException(leaseId);
        _selectByLease.Parameters["@lease"].Value = leaseId;
        var keys = ReadKvs(_selectByLease);
        long revision = Revision + 1;
        int sub = 0;
        foreach (var kv in keys)
            WriteDelete(kv, revision, sub++);
        if (sub > 0)
            Revision = revision;
        _deleteLease.Parameters["@id"].Value = leaseId;
        _deleteLease.ExecuteNonQuery();
    }

    public void Compact(long revision)
    {
        if (revision > Revision)
            throw new FutureRevisionException(revision, Revision);
        if (revision <= CompactRevision)
            throw new CompactedRevisionException(revision, CompactRevision);
        _compactHistory.Parameters["@rev"].Value = revision;
        _compactHistory.ExecuteNonQuery();
        SetMeta("compact_revision", revision);
        CompactRevision = revision;
    }

    /// <summary>
    /// After a compaction (outside a batch): rebuilds the database file and empties the WAL, so that the values the
    /// compaction dropped (an old password) are in no free page, no stale part of a rebuilt page and no older WAL frame
    /// (secure_delete alone zeroes deleted cells, not what a page rebalance leaves behind). The state is small once
    /// compacted, so this is quick.
    /// </summary>
    /// <exception cref="SqliteException">a reader kept the database busy past the busy timeout.</exception>
    public void Scrub() => SqliteSchema.Execute(_connection, "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);");

    private void WritePut(byte[] key, byte[] value, long leaseId, long revision, int sub)
    {
        var existing = ReadKv(key);
        long createRevision = existing?.CreateRevision ?? revision;
        long version = (existing?.Version ?? 0) + 1;
        var p = _upsertKv.Parameters;
        p["@key"].Value = key;
        p["@value"].Value = value;
        p["@create"].Value = createRevision;
        p["@mod"].Value = revision;
        p["@version"].Value = version;
        p["@lease"].Value = leaseId;
        _upsertKv.ExecuteNonQuery();
        InsertHistory(revision, sub, key, deleted: false, value, createRevision, version, leaseId, existing?.ModRevision ?? 0);
    }

    private void WriteDelete(KeyValue existing, long revision, int sub)
    {
        byte[] key = Encoding.UTF8.GetBytes(existing.Key);
        _deleteKv.Parameters["@key"].Value = key;
        _deleteKv.ExecuteNonQuery();
        InsertHistory(revision, sub, key, deleted: true, null, 0, 0, 0, existing.ModRevision);
    }

    private void InsertHistory(long revision, int sub, byte[] key, bool deleted, byte[]? value,
        long createRevision, long version, long leaseId, long prevRevision)
    {
        var p = _insertHistory.Parameters;
        p["@rev"].Value = revision;
        p["@sub"].Value = sub;
        p["@key"].Value = key;
        p["@deleted"].Value = deleted ? 1 : 0;
        p["@value"].Value = (object?)value ?? DBNull.Value;
        p["@create"].Value = createRevision;
        p["@version"].Value = version;
        p["@lease"].Value = leaseId;
        p["@prev"].Value = prevRevision;
        _insertHistory.ExecuteNonQuery();
    }

    private KeyValue? ReadKv(byte[] key)
    {
        _selectKv.Parameters["@key"].Value = key;
        using var reader = _selectKv.ExecuteReader();
        return reader.Read() ? SqliteSchema.ReadKv(reader) : null;
    }

    private List<KeyValue> ReadRange(KeyRange range)
    {
        SqliteCommand command;
        if (range.End is null)
        {
            command = _selectUnbounded;
        }
        else
        {
            command = _selectBounded;
            command.Parameters["@end"].Value = range.End;
        }
        command.Parameters["@start"].Value = range.Start;
        return ReadKvs(command);
    }

    private static List<KeyValue> ReadKvs(SqliteCommand command)
    {
        var kvs = new List<KeyValue>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            kvs.Add(SqliteSchema.ReadKv(reader));
        return kvs;
    }

    private void LoadMeta()
    {
        Revision = _revisionInMeta = GetMeta("revision");
        CompactRevision = GetMeta("compact_revision");
    }

    private long GetMeta(string name)
    {
        _selectMeta.Parameters["@name"].Value = name;
        return Convert.ToInt64(_selectMeta.ExecuteScalar() ?? throw new InvalidDataException($"cluster-state database lacks meta '{name}'"));
    }

    private void SetMeta(string name, long value)
    {
        _setMeta.Parameters["@name"].Value = name;
        _setMeta.Parameters["@value"].Value = value;
        _setMeta.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
