namespace Dm.TestKit.Workloads;

/// <summary>
/// What every workload connection shares: the key allocator (fresh keys never collide across connections), the
/// columns added by DDL on each table and the tables created during the run. DDL is serialised by <see cref="DdlGate"/>
/// so the catalog always matches the server after a DDL statement completes.
/// </summary>
public sealed class WorkloadCatalog(WorkloadTables tables, long firstFreeKey)
{
    public sealed record AddedColumn(string Name, string Type);

    private readonly object _lock = new();
    private readonly Dictionary<(string, string), List<AddedColumn>> _added = tables.Fixed.ToDictionary(t => t, _ => new List<AddedColumn>());
    private readonly List<(string Schema, string Table)> _dynamic = [];
    private long _nextKey = firstFreeKey;
    private int _nextName;

    public WorkloadTables Tables { get; } = tables;
    public SemaphoreSlim DdlGate { get; } = new(1, 1);

    /// <summary>A block of <paramref name="count"/> keys nobody else has used; returns the first.</summary>
    public long AllocateKeys(int count = 1) => Interlocked.Add(ref _nextKey, count) - count;

    public long KeysAllocatedSoFar => Interlocked.Read(ref _nextKey);

    public int NextNameNumber() => Interlocked.Increment(ref _nextName);

    public IReadOnlyList<AddedColumn> AddedColumns((string, string) table)
    {
        lock (_lock) return _added.TryGetValue(table, out var columns) ? [.. columns] : [];
    }

    public IReadOnlyList<(string Schema, string Table)> DynamicTables()
    {
        lock (_lock) return [.. _dynamic];
    }

    public IReadOnlyList<(string Schema, string Table)> TablesWithAddedColumns()
    {
        lock (_lock) return [.. _added.Keys];
    }

    public void ColumnAdded((string, string) table, AddedColumn column)
    {
        lock (_lock) _added[table].Add(column);
    }

    public void ColumnChanged((string, string) table, AddedColumn column)
    {
        lock (_lock)
        {
            var columns = _added[table];
            columns[columns.FindIndex(c => c.Name == column.Name)] = column;
        }
    }

    public void ColumnDropped((string, string) table, string name)
    {
        lock (_lock) _added[table].RemoveAll(c => c.Name == name);
    }

    public void TableCreated((string Schema, string Table) table)
    {
        lock (_lock)
        {
            _dynamic.Add(table);
            _added[table] = [];
        }
    }

    public void TableDropped((string Schema, string Table) table)
    {
        lock (_lock)
        {
            _dynamic.Remove(table);
            _added.Remove(table);
        }
    }

    public void TableRenamed((string Schema, string Table) from, (string Schema, string Table) to)
    {
        lock (_lock)
        {
            _dynamic[_dynamic.IndexOf(from)] = to;
            _added[to] = _added[from];
            _added.Remove(from);
        }
    }
}
