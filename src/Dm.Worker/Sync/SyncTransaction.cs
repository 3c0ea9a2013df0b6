using Dm.Core.Upstream;
using Dm.Sql.Dml;

namespace Dm.Worker.Sync;

/// <summary>
/// One upstream transaction turned into target statements: applied whole, in one target transaction
/// (possibly with others), by one writer. <see cref="Keys"/> are its causality keys.
/// </summary>
internal sealed class SyncTransaction
{
    /// <summary>"file:pos" just after the event that opened it (GTID or BEGIN): its name in the applied table.</summary>
    public required string Id { get; init; }

    /// <summary>Already applied before a crash (named by an applied row): read past, not applied again.</summary>
    public bool Skip { get; init; }

    public long Sequence { get; set; }
    public BinlogPosition End { get; set; } = null!;
    public List<DmlStatement> Statements { get; } = [];
    public List<string> Keys { get; } = [];
    public uint Timestamp { get; set; }
    public int RowChanges { get; set; }
}
