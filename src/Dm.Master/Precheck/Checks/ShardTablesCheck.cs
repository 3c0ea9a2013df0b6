using Dm.Core.Config;
using Dm.Core.Upstream;

namespace Dm.Master.Precheck.Checks;

/// <summary>
/// schema_of_shard_tables for one target table fed by several source tables. Pessimistic mode needs identical
/// column lists ("column length mismatch" / "different column definition"); optimistic mode needs same-named
/// columns to agree on type. auto_increment_ID adds DM's warning that auto-increment keys may clash.
/// </summary>
internal static class ShardTablesCheck
{
    private sealed record Column(string Name, string Type, bool Primary, bool Unique, bool AutoIncrement)
    {
        public string Brief => $"{Name} {Type}" + (Primary ? " primary key" : Unique ? " unique key" : "");
    }

    private const string Query =
        "SELECT COLUMN_NAME, COLUMN_TYPE, COLUMN_KEY, EXTRA FROM information_schema.COLUMNS " +
        "WHERE TABLE_SCHEMA = @schema AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION";

    public static async Task<CheckResult> RunAsync(TableRef target, IReadOnlyList<(SourceSnapshot Source, TableRef Table)> members,
        bool pessimistic, bool checkAutoIncrement, ConnectionBudget budget, CancellationToken cancellationToken)
    {
        var r = new CheckResult
        {
            Item = CheckingItems.ShardTableSchema,
            Name = pessimistic ? $"sharding table {target} consistency checking" : $"optimistic sharding table {target} consistency checking",
            Desc = "check consistency of sharding table structures",
            Extra = $"sharding {target},",
        };
        List<Column>[] columns;
        try
        {
            columns = await Task.WhenAll(members.Select(m => budget.WithConnectionAsync(m.Source.Source.Endpoint, connection =>
                SqlRows.ReadAsync(connection, Query, row => new Column(row.GetString(0).ToLowerInvariant(), row.GetString(1),
                        row.GetString(2) == "PRI", row.GetString(2) == "UNI",
                        row.GetString(3).Contains("auto_increment", StringComparison.OrdinalIgnoreCase)),
                    cancellationToken, ("@schema", m.Table.Schema), ("@table", m.Table.Table)), cancellationToken)));
        }
        catch (UpstreamException e)
        {
            return r.Add(CheckError.Failure(e.Message));
        }

        var (firstSource, firstTable) = members[0];
        var first = columns[0];
        r.Extra = $"sourceID {firstSource.Source.SourceId} on sharding {target}";
        for (var i = 0; i < members.Count; i++)
        {
            var (source, table) = members[i];
            if (checkAutoIncrement && r.State == CheckState.Success && columns[i].Any(c => c.AutoIncrement))
            {
                r.Add(CheckError.Warning($"sourceID {source.Source.SourceId} table {table} of sharding {target} have auto-increment key, please make sure them don't conflict in target table!"));
                r.Instruction = "If happen conflict, please handle it by yourself. You can refer to https://docs.pingcap.com/tidb-data-migration/stable/shard-merge-best-practices/#handle-conflicts-between-primary-keys-or-unique-indexes-across-multiple-sharded-tables";
                r.Extra = "auto-increment key checking";
            }
            if (i == 0) continue;
            var mismatch = pessimistic
                ? Pessimistic(first, columns[i], firstSource, firstTable, source, table)
                : Optimistic(first, columns[i], firstSource, firstTable, source, table);
            if (mismatch != null)
            {
                r.Add(mismatch);
                r.Extra = $"error on sharding {target}";
                r.Instruction = "please set same table structure for sharding tables";
                break;
            }
        }
        return r;
    }

    private static CheckError? Pessimistic(List<Column> self, List<Column> other, SourceSnapshot selfSource, TableRef selfTable,
        SourceSnapshot otherSource, TableRef otherTable)
    {
        if (self.Count != other.Count)
            return new CheckError
            {
                Severity = CheckState.Fail,
                ShortError = $"column length mismatch (self: {self.Count} vs other: {other.Count})",
                Self = $"sourceID {selfSource.Source.SourceId} table {selfTable} columns [{string.Join(" ", self.Select(c => c.Name))}]",
                Other = $"sourceID {otherSource.Source.SourceId} table {otherTable} columns [{string.Join(" ", other.Select(c => c.Name))}]",
            };
        for (var i = 0; i < self.Count; i++)
            if (self[i].Name != other[i].Name || self[i].Type != other[i].Type || self[i].Primary != other[i].Primary || self[i].Unique != other[i].Unique)
                return Different(self[i], other[i], selfSource, selfTable, otherSource, otherTable);
        return null;
    }

    private static CheckError? Optimistic(List<Column> self, List<Column> other, SourceSnapshot selfSource, TableRef selfTable,
        SourceSnapshot otherSource, TableRef otherTable)
    {
        foreach (var column in other)
            if (self.FirstOrDefault(c => c.Name == column.Name) is { } mine && mine.Type != column.Type)
                return Different(mine, column, selfSource, selfTable, otherSource, otherTable);
        return null;
    }

    private static CheckError Different(Column self, Column other, SourceSnapshot selfSource, TableRef selfTable,
        SourceSnapshot otherSource, TableRef otherTable) => new()
    {
        Severity = CheckState.Fail,
        ShortError = "different column definition",
        Self = $"sourceID {selfSource.Source.SourceId} table {selfTable} column {self.Brief}",
        Other = $"sourceID {otherSource.Source.SourceId} table {otherTable} column {other.Brief}",
    };
}
