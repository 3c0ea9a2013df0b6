using System.Text;
using Microsoft.Data.Sqlite;

namespace Dm.ClusterState.Sqlite;

/// <summary>
/// The read connection (WAL lets it read while the writer commits). Each read runs in its own
/// read transaction, so the keys and the revision it reports come from one snapshot.
/// </summary>
internal sealed class SqliteKvReader : IDisposable
{
    private const string KvColumns = "key, value, create_rev, mod_rev, version, lease";
    private const string HistorySelect = """
        SELECT h.rev, h.sub, h.key, h.deleted, h.value, h.create_rev, h.version, h.lease,
               p.value, p.create_rev, p.version, p.lease, h.prev_rev
        FROM history h LEFT JOIN history p ON p.rev = h.prev_rev AND p.key = h.key AND p.deleted = 0
        WHERE (h.rev, h.sub) > (@rev, @sub) AND h.key >= @start
        """;
    private const string HistoryOrder = " ORDER BY h.rev, h.sub LIMIT @limit";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _begin, _end, _selectMeta;
    private readonly SqliteCommand _selectKv, _selectBounded, _selectUnbounded;
    private readonly SqliteCommand _historyBounded, _historyUnbounded;
    private bool _disposed;

    public SqliteKvReader(string dbPath)
    {
        _connection = SqliteSchema.OpenConnection(dbPath, forWrites: false);
        var c = _connection;
        _begin = SqliteSchema.Prepare(c, "BEGIN");
        _end = SqliteSchema.Prepare(c, "COMMIT");
        _selectMeta = SqliteSchema.Prepare(c, "SELECT value FROM meta WHERE name = @name", ("@name", SqliteType.Text));
        _selectKv = SqliteSchema.Prepare(c, $"SELECT {KvColumns} FROM kv WHERE key = @start", ("@start", SqliteType.Blob));
        _selectBounded = SqliteSchema.Prepare(c, $"SELECT {KvColumns} FROM kv WHERE key >= @start AND key < @end ORDER BY key",
            ("@start", SqliteType.Blob), ("@end", SqliteType.Blob));
        _selectUnbounded = SqliteSchema.Prepare(c, $"SELECT {KvColumns} FROM kv WHERE key >= @start ORDER BY key", ("@start", SqliteType.Blob));
        (string, SqliteType)[] historyParameters =
            [("@rev", SqliteType.Integer), ("@sub", SqliteType.Integer), ("@start", SqliteType.Blob), ("@limit", SqliteType.Integer)];
        _historyUnbounded = SqliteSchema.Prepare(c, HistorySelect + HistoryOrder, historyParameters);
        _historyBounded = SqliteSchema.Prepare(c, HistorySelect + " AND h.key < @end" + HistoryOrder,
            [.. historyParameters, ("@end", SqliteType.Blob)]);
    }

    public Task<RangeResult> GetAsync(string key, CancellationToken ct)
        => ReadAsync(() =>
        {
            _selectKv.Parameters["@start"].Value = Encoding.UTF8.GetBytes(key);
            return new RangeResult(ReadKvs(_selectKv), GetMeta("revision"));
        }, ct);

    public Task<RangeResult> GetRangeAsync(KeyRange range, CancellationToken ct)
        => ReadAsync(() => new RangeResult(ReadKvs(Bind(range, _selectBounded, _selectUnbounded)), GetMeta("revision")), ct);

    /// <summary>
    /// Up to <paramref name="limit"/> changes in <paramref name="range"/> after position (rev, sub), with the
    /// store revision and compacted revision of the same snapshot.
    /// </summary>
    public Task<HistoryPage> ReadHistoryAsync(KeyRange range, long afterRevision, long afterSub, int limit, CancellationToken ct)
        => ReadAsync(() =>
        {
            var command = Bind(range, _historyBounded, _historyUnbounded);
            command.Parameters["@rev"].Value = afterRevision;
            command.Parameters["@sub"].Value = afterSub;
            command.Parameters["@limit"].Value = limit;
            var events = new List<(WatchEvent, long)>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                    events.Add((ReadEvent(reader), reader.GetInt64(1)));
            }
            return new HistoryPage(events, GetMeta("revision"), GetMeta("compact_revision"));
        }, ct);

    private static WatchEvent ReadEvent(SqliteDataReader r)
    {
        long revision = r.GetInt64(0);
        string key = Encoding.UTF8.GetString(r.GetFieldValue<byte[]>(2));
        bool deleted = r.GetInt64(3) != 0;
        long prevRevision = r.GetInt64(12);
        KeyValue? prev = r.IsDBNull(8) ? null
            : new KeyValue(key, r.GetFieldValue<byte[]>(8), r.GetInt64(9), prevRevision, r.GetInt64(10), r.GetInt64(11));
        return deleted
            ? new WatchEvent(WatchEventType.Delete, new KeyValue(key, [], 0, revision, 0, 0), prev)
            : new WatchEvent(WatchEventType.Put,
                new KeyValue(key, r.GetFieldValue<byte[]>(4), r.GetInt64(5), revision, r.GetInt64(6), r.GetInt64(7)), prev);
    }

    private static SqliteCommand Bind(KeyRange range, SqliteCommand bounded, SqliteCommand unbounded)
    {
        var command = range.End is null ? unbounded : bounded;
        command.Parameters["@start"].Value = range.Start;
        if (range.End is not null)
            command.Parameters["@end"].Value = range.End;
        return command;
    }

    private async Task<T> ReadAsync<T>(Func<T> read, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _begin.ExecuteNonQuery();
            try
            {
                return read();
            }
            finally
            {
                _end.ExecuteNonQuery();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static List<KeyValue> ReadKvs(SqliteCommand command)
    {
        var kvs = new List<KeyValue>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            kvs.Add(SqliteSchema.ReadKv(reader));
        return kvs;
    }

    private long GetMeta(string name)
    {
        _selectMeta.Parameters["@name"].Value = name;
        return Convert.ToInt64(_selectMeta.ExecuteScalar());
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _connection.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>A page of history: events with their sub-revision position, and the snapshot's revisions.</summary>
internal sealed record HistoryPage(IReadOnlyList<(WatchEvent Event, long Sub)> Events, long Revision, long CompactRevision);
