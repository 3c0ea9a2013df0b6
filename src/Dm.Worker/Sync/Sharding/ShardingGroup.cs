using Dm.Binlog.Replication;
using Dm.Core.Errors;

namespace Dm.Worker.Sync.Sharding;

/// <summary>
/// DM's pessimistic sharding group on one source: the upstream tables routed to one target table and the DDL they are
/// meeting. The first table to reach a DDL makes it the group's active DDL; each table that reaches it is synced (and
/// held: its later changes wait); the group is complete when every member is synced. Only the same DDL, statement for
/// statement, is accepted from the others: another is DM's 36008. No I/O.
/// </summary>
internal sealed class ShardingGroup((string Schema, string Table) target)
{
    private readonly SortedSet<(string Schema, string Table)> _synced = [];

    public (string Schema, string Table) Target => target;

    /// <summary>The routed DDL statements the group is meeting; null while it meets none.</summary>
    public IReadOnlyList<string>? ActiveDdls { get; private set; }

    /// <summary>Where the first member met the active DDL.</summary>
    public BinlogLocation? FirstLocation { get; private set; }

    public IReadOnlyCollection<(string Schema, string Table)> Synced => _synced;

    /// <summary>The members as last listed (for query-status' unsynced tables).</summary>
    public IReadOnlyCollection<(string Schema, string Table)> Members { get; set; } = [];

    /// <summary><paramref name="table"/> reached <paramref name="ddls"/> at <paramref name="at"/>.</summary>
    public void Arrive((string Schema, string Table) table, IReadOnlyList<string> ddls, BinlogLocation at)
    {
        if (ActiveDdls is null)
        {
            ActiveDdls = ddls;
            FirstLocation = at;
        }
        else if (!ActiveDdls.SequenceEqual(ddls, StringComparer.Ordinal))
        {
            throw DmErrors.ErrSyncUnitDDLWrongSequence.WithMessage(
                $"detect inconsistent DDL sequence from `{table.Schema}`.`{table.Table}` at {at.Position}: it sent [{string.Join("; ", ddls)}], " +
                $"but the sharding group of `{target.Schema}`.`{target.Table}` is meeting [{string.Join("; ", ActiveDdls)}] (first met at " +
                $"{FirstLocation!.Position}); in pessimistic mode every shard must run the same DDLs in the same order " +
                "(use binlog skip/replace on this DDL, or shard-ddl-lock to see the lock)");
        }
        _synced.Add(table);
    }

    /// <summary><paramref name="table"/> was dropped: it is no longer a member, synced or not (DM's Leave).</summary>
    public void Leave((string Schema, string Table) table) => _synced.Remove(table);

    /// <summary>Whether every member of the group (as listed now) has reached the active DDL.</summary>
    public bool IsComplete(IEnumerable<(string Schema, string Table)> members) => ActiveDdls is not null && members.All(_synced.Contains);

    /// <summary>The members that have not reached the active DDL yet.</summary>
    public IReadOnlyList<(string Schema, string Table)> Unsynced(IEnumerable<(string Schema, string Table)> members) =>
        members.Where(m => !_synced.Contains(m)).ToList();

    /// <summary>The DDL is resolved: the group meets nothing until its next DDL.</summary>
    public void Reset()
    {
        ActiveDdls = null;
        FirstLocation = null;
        _synced.Clear();
    }
}
