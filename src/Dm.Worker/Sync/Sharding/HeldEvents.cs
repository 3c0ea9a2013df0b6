using Dm.Binlog.Replication;

namespace Dm.Worker.Sync.Sharding;

/// <summary>
/// What a held shard table read while its sharding group waits on a DDL lock, kept in binlog order and replayed once the
/// lock is resolved: the table's part of an upstream transaction (planned in safe mode with the table's structure after
/// its DDL), or a later DDL of the table (it arrives in the group when replayed).
/// </summary>
internal abstract record HeldEvent((string Schema, string Table) Table);

/// <summary>The rows of one upstream transaction that fell on a held table (the transaction's other rows went on).</summary>
internal sealed record HeldTransaction((string Schema, string Table) Table, SyncTransaction Transaction) : HeldEvent(Table);

/// <summary>A coordinated DDL of a held table (already tracked), with where it ends.</summary>
internal sealed record HeldStatement((string Schema, string Table) Table, IReadOnlyList<string> Ddls, BinlogLocation At, uint Timestamp) : HeldEvent(Table);
