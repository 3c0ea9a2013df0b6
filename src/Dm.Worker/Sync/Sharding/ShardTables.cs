using Dm.Core.Rules;
using Dm.Worker.Dump;
using MySqlConnector;

namespace Dm.Worker.Sync.Sharding;

/// <summary>
/// The upstream tables of a sharding task grouped by the target table they route to (DM's sharding groups, as this
/// source sees them): listed from the upstream once per run, when first asked, through the block-allow list and the
/// routes. A table created later joins its group when its CREATE is met (<see cref="Add"/>), a dropped one leaves it.
/// </summary>
internal sealed class ShardTables(BlockAllowListFilter filter, TableRouter router, Func<string, bool> isOnlineDdlTable)
{
    private Dictionary<(string Schema, string Table), SortedSet<(string Schema, string Table)>>? _groups;

    /// <summary>The upstream tables routed to the same target as <paramref name="schema"/>.<paramref name="table"/>, itself included.</summary>
    public async Task<IReadOnlyCollection<(string Schema, string Table)>> GroupOfAsync(string schema, string table,
        Func<CancellationToken, Task<MySqlConnection>> upstream, CancellationToken cancellationToken)
    {
        var groups = await GroupsAsync(upstream, cancellationToken);
        return groups.TryGetValue(router.Route(schema, table), out var group) ? group : [(schema, table)];
    }

    /// <summary>Every group, by target table.</summary>
    public async Task<IReadOnlyDictionary<(string Schema, string Table), SortedSet<(string Schema, string Table)>>> GroupsAsync(
        Func<CancellationToken, Task<MySqlConnection>> upstream, CancellationToken cancellationToken)
    {
        if (_groups is not null) return _groups;
        var groups = new Dictionary<(string, string), SortedSet<(string, string)>>();
        foreach (var (schema, table) in await TableLister.ListAsync(await upstream(cancellationToken), filter, cancellationToken))
            if (!isOnlineDdlTable(table)) AddTo(groups, schema, table);
        return _groups = groups;
    }

    /// <summary>The target table <paramref name="schema"/>.<paramref name="table"/> routes to (its group's name).</summary>
    public (string Schema, string Table) TargetOf(string schema, string table) => router.Route(schema, table);

    /// <summary>A table created upstream joins the group of its target.</summary>
    public void Add(string schema, string table)
    {
        if (_groups is not null && filter.Match(schema, table) && !isOnlineDdlTable(table)) AddTo(_groups, schema, table);
    }

    /// <summary>A table dropped upstream leaves its group.</summary>
    public void Remove(string schema, string table)
    {
        if (_groups is not null && _groups.TryGetValue(router.Route(schema, table), out var group)) group.Remove((schema, table));
    }

    private void AddTo(Dictionary<(string, string), SortedSet<(string, string)>> groups, string schema, string table)
    {
        var target = router.Route(schema, table);
        if (!groups.TryGetValue(target, out var group)) groups[target] = group = [];
        group.Add((schema, table));
    }
}
