using Dm.Core.Upstream;
using Dm.Worker.Dump;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Load;

/// <summary>Creates the routed schemas and tables in the target before any row is loaded (idempotent: IF NOT EXISTS), without the indexes a table defers.</summary>
public static class TargetSchemaCreator
{
    public static async Task CreateAsync(MySqlConnection target, DumpPlan plan, CancellationToken cancellationToken)
    {
        foreach (var schema in plan.TargetSchemas())
            await DataConnections.ExecuteAsync(target, "CREATE DATABASE IF NOT EXISTS " + Quote.Identifier(schema), cancellationToken);
        await DataConnections.ExecuteAsync(target, "SET SESSION foreign_key_checks = 0", cancellationToken);
        foreach (var table in plan.Tables)
        {
            await DataConnections.ExecuteAsync(target, "USE " + Quote.Identifier(table.TargetSchema), cancellationToken);
            var create = table.DeferredKeys is { Count: > 0 } ? DeferredIndexes.Split(table.CreateTableSql).CreateTableSql : table.CreateTableSql;
            await DataConnections.ExecuteAsync(target, create, cancellationToken);
        }
    }
}
