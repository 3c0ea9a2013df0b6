using Dm.Core.Config;
using Dm.Core.Upstream;

namespace Dm.Master.Precheck.Checks;

/// <summary>
/// Checks of an upstream's server settings, from the snapshot read at start: version, server_id, log_bin,
/// binlog_format, binlog_row_image, binlog_do_db / binlog_ignore_db. Names, messages and instructions follow DM.
/// </summary>
internal static class ServerSettingChecks
{
    private static readonly ServerVersion MySqlMin = new(5, 6, 0);
    private static readonly ServerVersion MySqlMaxExclusive = new(8, 5, 0);
    private static readonly ServerVersion MariaDbMin = new(10, 1, 2);
    private static readonly ServerVersion MySqlRowImageSince = new(5, 6, 2);
    private static readonly ServerVersion MariaDbRowImageSince = new(10, 1, 6);

    public static CheckResult Version(SourceSnapshot s)
    {
        var r = new CheckResult { Item = CheckingItems.Version, Name = "mysql_version", Desc = "check whether mysql version is satisfied", Extra = s.Extra };
        var text = s.Info.Version;
        if (text.Contains("tidb", StringComparison.OrdinalIgnoreCase)) return r;
        if (!ServerVersion.TryParse(text, out var v))
            return r.Add(CheckError.Failure($"MySQL version {text} not valid"));
        if (s.Info.IsMariaDb)
        {
            if (v < MariaDbMin) r.Add(CheckError.Warning($"version suggested at least {MariaDbMin} but got {v}"));
        }
        else if (v < MySqlMin) r.Add(CheckError.Warning($"version suggested at least {MySqlMin} but got {v}"));
        else if (v >= MySqlMaxExclusive) r.Add(CheckError.Warning($"version suggested less than {MySqlMaxExclusive} but got {v}"));
        return r;
    }

    public static CheckResult ServerId(SourceSnapshot s)
    {
        var r = new CheckResult { Item = CheckingItems.ServerId, Name = "mysql_server_id", Desc = "check whether mysql server_id has been greater than 0", Extra = s.Extra };
        if (s.Info.ServerId == 0)
        {
            r.Add(CheckError.Warning("server_id is 0"));
            r.Instruction = "please set server_id greater than 0";
        }
        return r;
    }

    public static CheckResult BinlogEnable(SourceSnapshot s)
    {
        var r = new CheckResult { Item = CheckingItems.BinlogEnable, Name = "mysql_binlog_enable", Desc = "check whether mysql binlog is enabled", Extra = s.Extra };
        if (!s.Info.LogBin)
        {
            r.Add(CheckError.Failure("log_bin is OFF, and should be ON"));
            r.Instruction = "ref document: https://dev.mysql.com/doc/refman/5.7/en/replication-howto-masterbaseconfig.html";
        }
        return r;
    }

    public static CheckResult BinlogFormat(SourceSnapshot s)
    {
        var r = new CheckResult { Item = CheckingItems.BinlogFormat, Name = "mysql_binlog_format", Desc = "check whether mysql binlog_format is ROW", Extra = s.Extra };
        if (s.Info.BinlogFormat != "ROW")
        {
            r.Add(CheckError.Failure($"binlog_format is {s.Info.BinlogFormat}, and should be ROW"));
            r.Instruction = "please execute 'set global binlog_format=ROW;'";
        }
        return r;
    }

    public static CheckResult BinlogRowImage(SourceSnapshot s)
    {
        var r = new CheckResult { Item = CheckingItems.BinlogRowImage, Name = "mysql_binlog_row_image", Desc = "check whether mysql binlog_row_image is FULL", Extra = s.Extra };
        if (!ServerVersion.TryParse(s.Info.Version, out var v))
            return r.Add(CheckError.Failure($"MySQL version {s.Info.Version} not valid"));
        // binlog_row_image appeared in MySQL 5.6.2 / MariaDB 10.1.6; before that images are always full.
        if (v < (s.Info.IsMariaDb ? MariaDbRowImageSince : MySqlRowImageSince)) return r;
        if (s.Info.BinlogRowImage != "FULL")
        {
            r.Add(CheckError.Failure($"binlog_row_image is {s.Info.BinlogRowImage}, and should be FULL"));
            r.Instruction = "please execute 'set global binlog_row_image = FULL;'";
        }
        return r;
    }

    /// <summary>
    /// The migrated schemas must reach the binlog: with binlog-do-db set, every one must be listed; otherwise none
    /// may be in binlog-ignore-db (the server applies do-db first, as MySQL documents).
    /// </summary>
    public static CheckResult BinlogDb(SourceSnapshot s)
    {
        var r = new CheckResult { Item = CheckingItems.BinlogDb, Name = "binlog_do_db/binlog_ignore_db check", Desc = "check whether migrated dbs are in binlog_do_db/binlog_ignore_db", Extra = s.Extra };
        if (s.Binlog is null) return r.Add(CheckError.Failure(s.BinlogError ?? "cannot read SHOW MASTER STATUS"));
        var comparer = s.Info.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var schemas = s.Tables.Select(t => t.Source.Schema).ToHashSet(comparer);
        static string[] Split(string list) => list.Replace(" ", "", StringComparison.Ordinal).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var doDbs = Split(s.Binlog.BinlogDoDb);
        if (doDbs.Length > 0)
        {
            var missing = schemas.Where(db => !doDbs.Contains(db, comparer)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                r.Add(CheckError.Warning($"these dbs [{string.Join(",", missing)}] are not in binlog_do_db[{s.Binlog.BinlogDoDb}]"));
                r.Instruction = "Ensure that the do_dbs contains the dbs you want to migrate";
            }
            return r;
        }
        var ignored = Split(s.Binlog.BinlogIgnoreDb).Where(schemas.Contains).ToList();
        if (ignored.Count > 0)
        {
            r.Add(CheckError.Warning($"these dbs [{string.Join(",", ignored)}] are in binlog_ignore_db[{s.Binlog.BinlogIgnoreDb}]"));
            r.Instruction = "Ensure that the ignore_dbs does not contain the dbs you want to migrate";
        }
        return r;
    }
}
