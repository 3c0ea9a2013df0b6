using Dm.Sql.Ast;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// What DM keeps of a gh-ost / pt-osc run in progress: per shadow (ghost) table, the real table it will replace and the DDLs
/// executed on the shadow table, each under the binlog position it came from (a DDL read again after a restart is not
/// recorded twice). The cut-over applies them to the real table; <see cref="Dirty"/> says which shadow tables changed since
/// they were last persisted (<see cref="Checkpointing.OnlineDdlTable"/>).
/// </summary>
internal sealed class OnlineDdlRecords
{
    private readonly Dictionary<(string Schema, string Table), Ghost> _ghosts = [];

    /// <summary>Shadow tables whose record changed (or went) since <see cref="ClearDirty"/>.</summary>
    public HashSet<(string Schema, string Table)> Dirty { get; } = [];

    /// <summary>The record of a shadow table; null when none.</summary>
    public Ghost? Get(string schema, string table) => _ghosts.GetValueOrDefault((schema, table));

    /// <summary>Starts (or restarts) the record of a shadow table for <paramref name="real"/>: it was created (again).</summary>
    public void Start(TableName ghost, TableName real)
    {
        _ghosts[(ghost.Schema!, ghost.Name)] = new Ghost(real.Schema!, real.Name, []);
        Dirty.Add((ghost.Schema!, ghost.Name));
    }

    /// <summary>Adds a DDL run on a shadow table (unless the record already has the one from <paramref name="at"/>).</summary>
    public void Add(TableName ghost, TableName real, string at, string sql)
    {
        var key = (ghost.Schema!, ghost.Name);
        if (!_ghosts.TryGetValue(key, out var record)) _ghosts[key] = record = new Ghost(real.Schema!, real.Name, []);
        if (record.Ddls.Exists(d => d.At == at)) return;
        record.Ddls.Add(new RecordedDdl(at, sql));
        Dirty.Add(key);
    }

    /// <summary>Forgets a shadow table's record (dropped, or applied by its cut-over).</summary>
    public void Remove(string schema, string table)
    {
        if (_ghosts.Remove((schema, table))) Dirty.Add((schema, table));
    }

    /// <summary>Loads a persisted record.</summary>
    public void Restore(string schema, string table, Ghost ghost) => _ghosts[(schema, table)] = ghost;

    public void ClearDirty() => Dirty.Clear();

    /// <summary>The real table a shadow table replaces, and the DDLs run on the shadow table in binlog order.</summary>
    internal sealed record Ghost(string RealSchema, string RealTable, List<RecordedDdl> Ddls);

    /// <summary>A DDL run on a shadow table (its text names the shadow table) and where it came from ("position#piece").</summary>
    internal sealed record RecordedDdl(string At, string Sql);
}
