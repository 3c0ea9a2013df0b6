namespace Dm.Master.ShardDdl;

/// <summary>
/// DM's optimistic shard-DDL lock of one target table of a task, as the cluster store keeps it (DM's optimism key space in one
/// record): the structure of every shard table of every source (CREATE TABLE text; a table not heard of yet has the
/// <see cref="Initial"/> structure the lock started from, as has every table of a source that sent nothing yet), the
/// operations sent and not yet reported done, and the last conflict. The joined structure is computed from the tables.
/// </summary>
public sealed record OptimisticLock : IShardDdlLockRecord
{
    public required string Id { get; init; }
    public required string Task { get; init; }
    public required string TargetSchema { get; init; }
    public required string TargetTable { get; init; }

    /// <summary>The structure before the first DDL the lock met: every shard had it then.</summary>
    public required string Initial { get; init; }

    public List<OptimisticShardTable> Tables { get; init; } = [];

    /// <summary>The sources that sent an info (and so their list of shard tables).</summary>
    public List<string> Reported { get; init; } = [];

    public List<OptimisticOperation> Operations { get; init; } = [];

    /// <summary>The DDLs of the last info that changed a shard's structure.</summary>
    public List<string> Ddls { get; set; } = [];

    /// <summary>The last conflict met, until a later info of that table joins.</summary>
    public string? Conflict { get; set; }

    public OptimisticShardTable? Table(string source, string schema, string table) =>
        Tables.FirstOrDefault(t => t.Source == source && t.Schema == schema && t.Table == table);
}

/// <summary>One upstream shard table of a source and its structure as the lock knows it.</summary>
public sealed record OptimisticShardTable
{
    public required string Source { get; init; }
    public required string Schema { get; init; }
    public required string Table { get; init; }
    public required string Structure { get; set; }
}

/// <summary>The master's answer to a shard table's DDL (its structure after it), until the source reports it done.</summary>
public sealed record OptimisticOperation
{
    public required string Source { get; init; }
    public required string Schema { get; init; }
    public required string Table { get; init; }
    public required string After { get; init; }
    public required bool Exec { get; init; }
}
