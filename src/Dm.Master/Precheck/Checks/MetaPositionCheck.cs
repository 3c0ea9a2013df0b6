using System.Globalization;
using Dm.Binlog.Gtid;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Master.Precheck.Checks;

/// <summary>
/// meta_position (incremental mode with a meta, no relay): the start point must still be in the upstream's binlog.
/// File/position: the file is listed by SHOW BINARY LOGS and the position is inside it. GTID on MySQL: the set is
/// within gtid_executed and covers gtid_purged. GTID on MariaDB: every domain is known, not ahead of gtid_binlog_pos,
/// and not behind the Gtid_list that opens the oldest binlog (anything older was purged).
/// </summary>
internal static class MetaPositionCheck
{
    public static async Task<CheckResult> RunAsync(SourceSnapshot s, BinlogMeta meta, ConnectionBudget budget, CancellationToken cancellationToken)
    {
        var r = new CheckResult { Item = CheckingItems.MetaPosition, Name = "meta position check", Desc = "check whether meta position is valid for db", Extra = s.Extra };
        try
        {
            var problem = await budget.WithConnectionAsync(s.Source.Endpoint, connection => s.Source.EnableGtid
                    ? s.Info.IsMariaDb ? MariaDbGtidAsync(connection, s, meta.BinlogGtid, cancellationToken) : MySqlGtidAsync(connection, meta.BinlogGtid, cancellationToken)
                    : FilePositionAsync(connection, meta, cancellationToken),
                cancellationToken);
            if (problem != null) r.Add(CheckError.Failure(problem));
        }
        catch (UpstreamException e)
        {
            r.Add(CheckError.Failure(e.Message));
        }
        return r;
    }

    private static async Task<List<(string File, ulong Size)>> BinaryLogsAsync(MySqlConnection connection, CancellationToken cancellationToken) =>
        await SqlRows.ReadAsync(connection, "SHOW BINARY LOGS",
            row => (row.GetString(0), Convert.ToUInt64(row.GetValue(1), CultureInfo.InvariantCulture)), cancellationToken);

    private static async Task<string?> FilePositionAsync(MySqlConnection connection, BinlogMeta meta, CancellationToken cancellationToken)
    {
        if (meta.BinlogName.Length == 0)
            return DmErrors.ErrConfigMetaInvalid.New().RawMessage + $" (the meta has binlog-gtid {meta.BinlogGtid} only)";
        var logs = await BinaryLogsAsync(connection, cancellationToken);
        var match = logs.FirstOrDefault(l => l.File == meta.BinlogName);
        if (match.File == null)
            return $"binlog {meta.BinlogName} is not in the upstream's binary logs [{string.Join(",", logs.Select(l => l.File))}]";
        if (meta.BinlogPos < 4 || meta.BinlogPos > match.Size)
            return $"binlog position {meta.BinlogPos} is outside {meta.BinlogName} ({match.Size} bytes)";
        return null;
    }

    private static async Task<string?> MySqlGtidAsync(MySqlConnection connection, string gtid, CancellationToken cancellationToken)
    {
        var row = (await SqlRows.ReadAsync(connection,
            "SELECT GTID_SUBSET(@meta, @@GLOBAL.gtid_executed), GTID_SUBSET(@@GLOBAL.gtid_purged, @meta)",
            r => (Executed: Convert.ToInt32(r.GetValue(0)) == 1, CoversPurged: Convert.ToInt32(r.GetValue(1)) == 1),
            cancellationToken, ("@meta", gtid)))[0];
        if (!row.Executed) return $"GTID set {gtid} is not contained in the upstream's gtid_executed";
        if (!row.CoversPurged) return $"GTID set {gtid} misses transactions the upstream has purged (gtid_purged)";
        return null;
    }

    private static async Task<string?> MariaDbGtidAsync(MySqlConnection connection, SourceSnapshot s, string gtid, CancellationToken cancellationToken)
    {
        if (!GtidSet.TryParse(GtidFlavor.MariaDb, gtid, out var parsed)) return $"GTID set {gtid} for MariaDB not valid";
        var wanted = (MariaDbGtidList)parsed!;
        if (s.Binlog?.Location.GtidSet is not MariaDbGtidList current) return $"cannot read the upstream's gtid_binlog_pos: {s.BinlogError}";
        foreach (var gtidOfDomain in wanted.Gtids)
        {
            if (current[gtidOfDomain.DomainId] is not { } have)
                return $"GTID domain {gtidOfDomain.DomainId} of {gtid} is not in the upstream's gtid_binlog_pos {current}";
            if (gtidOfDomain.Sequence > have.Sequence)
                return $"GTID {gtid} is ahead of the upstream's gtid_binlog_pos {current}";
        }
        var logs = await BinaryLogsAsync(connection, cancellationToken);
        if (logs.Count == 0) return "the upstream has no binary logs";
        var firstList = await SqlRows.ReadAsync(connection, "SHOW BINLOG EVENTS IN @file LIMIT 4",
            r => (Type: r.GetString(2), Info: r.NullableString(5) ?? ""), cancellationToken, ("@file", logs[0].File));
        var list = firstList.FirstOrDefault(e => e.Type == "Gtid_list").Info.Trim('[', ']', ' ');
        if (!GtidSet.TryParse(GtidFlavor.MariaDb, list ?? "", out var before)) return null;
        var purgedUpTo = (MariaDbGtidList)before!;
        foreach (var gtidOfDomain in wanted.Gtids)
            if (purgedUpTo[gtidOfDomain.DomainId] is { } oldest && gtidOfDomain.Sequence < oldest.Sequence)
                return $"GTID {gtid} is older than the upstream's oldest binlog {logs[0].File} (starts after {list}): purged";
        return null;
    }
}
