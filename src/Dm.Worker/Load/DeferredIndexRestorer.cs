using System.Collections.Concurrent;
using Dm.Core.Upstream;
using Dm.Worker.Dump;
using Dm.Worker.Errors;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Load;

/// <summary>
/// Chooses which tables of a streaming copy defer their plain secondary indexes, and puts them back once every
/// chunk is loaded. The choice is stored in the plan (written to the target before any table is created), and
/// the target's own schema says what is still missing, so a crash between "rows loaded" and "indexes added"
/// only means the next run adds the missing ones (one ALTER TABLE each, atomic). Shards of several sources merged into one
/// table are copied by several workers at once: whichever adds a key first wins, the others add only what is still missing.
/// The worker's <c>defer-indexes</c> off turns deferral off.
/// </summary>
public static class DeferredIndexRestorer
{
    /// <summary>
    /// Marks the tables this copy creates (<see cref="TablePlan.CreatedByCopy"/>): those that do not exist in the
    /// target yet, or that an earlier run of this copy created (its stored plan says so); a table the user made is
    /// never touched. Their KEY lines are deferred, except when any table has foreign keys (a referenced index must
    /// exist when the referencing table is created). With <paramref name="enabled"/> false nothing is deferred.
    /// </summary>
    public static async Task<DumpPlan> ChooseAsync(MySqlConnection target, DumpPlan plan, DumpPlan? previous, bool enabled,
        CancellationToken cancellationToken)
    {
        var mayDefer = enabled && !plan.Tables.Any(t => t.CreateTableSql.Contains("REFERENCES", StringComparison.Ordinal));
        var createdBefore = (previous?.Tables ?? []).Where(t => t.CreatedByCopy).Select(t => (t.TargetSchema, t.TargetTable)).ToHashSet();
        // Shards routed into one table whose definitions differ: the first CREATE wins, so none of them is "the source's columns".
        var mixed = plan.Tables.GroupBy(t => (t.TargetSchema, t.TargetTable))
            .Where(g => g.Select(t => t.CreateTableSql).Distinct(StringComparer.Ordinal).Count() > 1).Select(g => g.Key).ToHashSet();
        var tables = new List<TablePlan>();
        foreach (var table in plan.Tables)
        {
            var name = (table.TargetSchema, table.TargetTable);
            var created = !mixed.Contains(name)
                && (createdBefore.Contains(name) || !await ExistsAsync(target, table.TargetSchema, table.TargetTable, cancellationToken));
            tables.Add(!created ? table : table with { DeferredKeys = mayDefer ? DeferredIndexes.Split(table.CreateTableSql).Keys : [] });
        }
        return new DumpPlan(tables);
    }

    /// <summary>Adds every deferred index the target tables still lack, <paramref name="threads"/> tables at a time.</summary>
    public static async Task RestoreAsync(DatabaseEndpoint endpoint, DumpPlan plan, int threads, CancellationToken cancellationToken)
    {
        var pending = new ConcurrentQueue<IGrouping<(string, string), TablePlan>>(plan.Tables
            .Where(t => t.DeferredKeys is { Count: > 0 }).GroupBy(t => (t.TargetSchema, t.TargetTable)));
        if (pending.IsEmpty) return;
        await ParallelWorkers.RunAsync(Math.Min(threads, pending.Count), async (_, ct) =>
        {
            await using var connection = await DataConnections.OpenAsync(endpoint, ct);
            while (pending.TryDequeue(out var group))
            {
                var (schema, table) = group.Key;
                // Shards routed into one table may list the same key; the first of each name is the one created.
                var keys = group.SelectMany(t => t.DeferredKeys!).DistinctBy(DeferredIndexes.Name).ToList();
                for (var attempt = 1; ; attempt++)
                {
                    var present = await IndexNamesAsync(connection, schema, table, ct);
                    var missing = keys.Where(k => !present.Contains(DeferredIndexes.Name(k))).ToList();
                    if (missing.Count == 0) break;
                    try
                    {
                        await DataConnections.ExecuteAsync(connection, $"ALTER TABLE {Quote.Table(schema, table)} {DeferredIndexes.AddClauses(missing)}", ct);
                        break;
                    }
                    // Another source's copy into the same table (a shard on another worker) added a key in the meantime:
                    // look again at what is missing.
                    catch (DataStatementException e) when (DatabaseErrorPolicy.ClassifyDdl(e) == ErrorKind.AlreadyApplied && attempt < 5)
                    {
                    }
                }
            }
        }, cancellationToken);
    }

    private static async Task<bool> ExistsAsync(MySqlConnection target, string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t", target);
        command.Parameters.AddWithValue("@s", schema);
        command.Parameters.AddWithValue("@t", table);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static async Task<HashSet<string>> IndexNamesAsync(MySqlConnection target, string schema, string table, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var command = new MySqlCommand("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t", target);
        command.Parameters.AddWithValue("@s", schema);
        command.Parameters.AddWithValue("@t", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            names.Add(reader.GetString(0));
        return names;
    }
}
