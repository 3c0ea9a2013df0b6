using Dm.Core.Rules;
using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Dump;

/// <summary>The upstream base tables a subtask migrates: block-allow list applied, system schemas never.</summary>
public static class TableLister
{
    public static bool IsSystemSchema(string schema) => SystemSchemas.Contains(schema);

    public static async Task<IReadOnlyList<(string Schema, string Table)>> ListAsync(MySqlConnection connection,
        BlockAllowListFilter filter, CancellationToken cancellationToken)
    {
        var all = new List<(string, string)>();
        await using (var command = new MySqlCommand(
            "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                all.Add((reader.GetString(0), reader.GetString(1)));
        }
        return filter.Apply(all.Where(t => !IsSystemSchema(t.Item1))).ToList();
    }

    /// <summary>For lock consistency the list must exist before the snapshot; Quote keeps odd names safe.</summary>
    public static string Describe(IReadOnlyList<(string Schema, string Table)> tables) =>
        string.Join(", ", tables.Take(5).Select(t => Quote.Table(t.Schema, t.Table))) + (tables.Count > 5 ? ", ..." : "");
}
