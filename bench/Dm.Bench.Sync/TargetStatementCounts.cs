using System.Globalization;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Bench.Sync;

/// <summary>
/// The target's statement counters (Com_*) around a catch-up: how many statements, transactions and round trips
/// (Questions) a peer needed for the backlog. A replica's SQL thread counts each row event as a statement, but sends
/// no queries, so its Questions are only the benchmark's own polls.
/// </summary>
internal sealed record TargetStatementCounts(IReadOnlyDictionary<string, long> Counters)
{
    private static readonly string[] Names = ["Com_insert", "Com_update", "Com_delete", "Com_replace", "Com_commit", "Com_begin", "Com_select", "Questions"];

    public static async Task<TargetStatementCounts> ReadAsync(MariaDbServer target, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand(
            $"SHOW GLOBAL STATUS WHERE Variable_name IN ({string.Join(", ", Names.Select(n => $"'{n}'"))})", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counters = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(cancellationToken))
            counters[reader.GetString(0)] = long.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
        return new TargetStatementCounts(counters);
    }

    /// <summary>The counters that moved since <paramref name="before"/>, e.g. "Com_update 1200, Com_commit 50".</summary>
    public string Since(TargetStatementCounts before) => string.Join(", ", Names
        .Select(n => (Name: n, Delta: Counters.GetValueOrDefault(n) - before.Counters.GetValueOrDefault(n)))
        .Where(c => c.Delta > 0)
        .Select(c => $"{c.Name} {c.Delta}"));
}
