using Dm.Core.Rules;
using Dm.Core.Upstream;
using Dm.Worker.Dump;

namespace Dm.Worker.Load;

/// <summary>
/// Dump files name tables as the upstream does (as DM's dump files): the Load unit applies its own task's routes as it
/// loads them, so files dumped by one task can be loaded by another with other routes, or none.
/// </summary>
public sealed class DumpFileRouting(TableRouter router)
{
    /// <summary>The dumped plan with each table's target name and CREATE TABLE routed by this task's rules.</summary>
    public DumpPlan Route(DumpPlan dumped) => new(dumped.Tables.Select(Route).ToList());

    private TablePlan Route(TablePlan table)
    {
        var (schema, name) = router.Route(table.SourceSchema, table.SourceTable);
        if (schema == table.TargetSchema && name == table.TargetTable) return table;
        return table with { TargetSchema = schema, TargetTable = name, CreateTableSql = TablePlanner.RouteCreateTable(table.CreateTableSql, name) };
    }

    /// <summary>
    /// The INSERT bodies of a data file written for <paramref name="dumped"/>, aimed at <paramref name="routed"/>'s table:
    /// each body starts with the dumped table's quoted name and column list, which is swapped for the routed name.
    /// </summary>
    public static async IAsyncEnumerable<string> Retarget(IAsyncEnumerable<string> bodies, TablePlan dumped, TablePlan routed)
    {
        var from = Quote.Table(dumped.TargetSchema, dumped.TargetTable) + " (";
        var to = Quote.Table(routed.TargetSchema, routed.TargetTable) + " (";
        await foreach (var body in bodies)
        {
            if (from == to)
                yield return body;
            else if (body.StartsWith(from, StringComparison.Ordinal))
                yield return string.Concat(to, body.AsSpan(from.Length));
            else
                throw new InvalidDataException($"a data file of {from[..^2]} holds a statement for another table: {body[..Math.Min(100, body.Length)]}");
        }
    }
}
