using System.Globalization;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Rules;
using Dm.Worker.Units;

namespace Dm.Worker.Dump;

/// <summary>The dump options resolved from the subtask config, with DM's codes for bad rules.</summary>
/// <param name="Csv">Non-null when the dump writes CSV files (<c>--filetype csv</c>).</param>
public sealed record DumpSettings(int Threads, long ChunkRows, int StatementSize, ConsistencyMode Consistency, string Where,
    BlockAllowListFilter Filter, TableRouter Router, CsvFormat? Csv = null)
{
    public static DumpSettings From(FullCopyContext context)
    {
        var config = context.Config;
        var extra = DumpExtraArgs.Parse(config.Mydumper.ExtraArgs);
        BlockAllowListFilter filter;
        TableRouter router;
        try { filter = new BlockAllowListFilter(config.BlockAllowList, config.CaseSensitive); }
        catch (ArgumentException e) { throw DmErrors.ErrDumpUnitGenBAList.Wrap(e); }
        try { router = new TableRouter(config.RouteRules, config.CaseSensitive); }
        catch (ArgumentException e) { throw DmErrors.ErrDumpUnitGenTableRouter.Wrap(e); }
        var rows = extra.Rows ?? (config.Mydumper.Rows > 0 ? (long)config.Mydumper.Rows : context.DefaultChunkRows);
        var statementSize = config.Mydumper.StatementSize > 0
            ? (int)Math.Min(config.Mydumper.StatementSize, 64UL << 20) : ChunkExporter.DefaultStatementSize;
        return new DumpSettings(Math.Max(1, config.Mydumper.Threads), rows, statementSize, extra.Consistency,
            config.Mydumper.Where, filter, router, extra.Csv);
    }

    /// <summary>Whether chunks exported from an older snapshot may be kept next to ones from a newer snapshot.</summary>
    public static bool MayMixSnapshots(FullCopyContext context, Dm.Binlog.Replication.BinlogLocation first, Dm.Binlog.Replication.BinlogLocation now) =>
        // Same binlog end and GTID set: nothing was committed in between, both snapshots hold the same data.
        first == now
        // Sync follows and replays from the first position in safe mode up to the exit point: converges exactly.
        || TaskConfig.HasSync(context.Config.Mode);

    internal static string Describe(DumpSettings s) =>
        string.Create(CultureInfo.InvariantCulture, $"threads={s.Threads} rows={s.ChunkRows} consistency={s.Consistency}");
}
