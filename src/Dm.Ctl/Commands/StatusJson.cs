using System.Text.Json.Nodes;
using Dm.Core.Api;

namespace Dm.Ctl.Commands;

/// <summary>OpenAPI status records in the shape of DM's jsonpb query-status output (lowerCamelCase, defaults shown).</summary>
public static class StatusJson
{
    public static JsonObject Source(string source, string worker, RelayStatus? relay, string? error) => new()
    {
        ["source"] = source,
        ["worker"] = worker,
        ["result"] = Result(error),
        ["relayStatus"] = relay == null ? null : new JsonObject
        {
            ["masterBinlog"] = relay.MasterBinlog,
            ["masterBinlogGtid"] = relay.MasterBinlogGtid,
            ["relaySubDir"] = relay.RelayDir,
            ["relayBinlogGtid"] = relay.RelayBinlogGtid,
            ["relayCatchUpMaster"] = relay.RelayCatchUpMaster,
            ["stage"] = relay.Stage,
            ["result"] = null,
        },
    };

    public static JsonObject SubTask(SubTaskStatus s)
    {
        var o = new JsonObject
        {
            ["name"] = s.Name,
            ["stage"] = s.Stage.ToString(),
            ["unit"] = s.Unit,
            ["result"] = Result(s.ErrorMsg),
            ["unresolvedDDLLockID"] = s.UnresolvedDdlLockId ?? "",
        };
        if (s.DumpStatus is { } d)
            o["dump"] = new JsonObject
            {
                ["totalTables"] = d.TotalTables,
                ["completedTables"] = d.CompletedTables,
                ["finishedBytes"] = d.FinishedBytes,
                ["finishedRows"] = d.FinishedRows,
                ["estimateTotalRows"] = d.EstimateTotalRows,
                ["bps"] = d.Bps,
                ["progress"] = d.Progress,
            };
        if (s.LoadStatus is { } l)
            o["load"] = new JsonObject
            {
                ["finishedBytes"] = l.FinishedBytes,
                ["totalBytes"] = l.TotalBytes,
                ["progress"] = l.Progress,
                ["metaBinlog"] = l.MetaBinlog,
                ["metaBinlogGTID"] = l.MetaBinlogGtid,
                ["bps"] = l.Bps,
            };
        if (s.SyncStatus is { } y)
            o["sync"] = new JsonObject
            {
                ["totalEvents"] = y.TotalEvents,
                ["totalTps"] = y.TotalTps,
                ["recentTps"] = y.RecentTps,
                ["masterBinlog"] = y.MasterBinlog,
                ["masterBinlogGtid"] = y.MasterBinlogGtid,
                ["syncerBinlog"] = y.SyncerBinlog,
                ["syncerBinlogGtid"] = y.SyncerBinlogGtid,
                ["blockingDDLs"] = new JsonArray([.. y.BlockingDdls.Select(x => (JsonNode)x)]),
                ["unresolvedGroups"] = new JsonArray([.. y.UnresolvedGroups.Select(Group)]),
                ["synced"] = y.Synced,
                ["binlogType"] = y.BinlogType,
                ["secondsBehindMaster"] = y.SecondsBehindMaster,
                ["ioTotalBytes"] = y.IoTotalBytes,
                ["dumpIOTotalBytes"] = y.DumpIoTotalBytes,
            };
        return o;
    }

    private static JsonNode Group(ShardingGroup g) => new JsonObject
    {
        ["target"] = g.Target,
        ["DDLs"] = new JsonArray([.. g.DdlList.Select(x => (JsonNode)x)]),
        ["firstLocation"] = g.FirstLocation,
        ["synced"] = new JsonArray([.. g.Synced.Select(x => (JsonNode)x)]),
        ["unsynced"] = new JsonArray([.. g.Unsynced.Select(x => (JsonNode)x)]),
    };

    /// <summary>DM's ProcessResult: null when there is no error.</summary>
    private static JsonNode? Result(string? error) => string.IsNullOrEmpty(error)
        ? null
        : new JsonObject
        {
            ["isCanceled"] = false,
            ["errors"] = new JsonArray([.. error.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(e => (JsonNode)new JsonObject { ["message"] = e })]),
        };
}
