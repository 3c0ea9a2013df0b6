using Dm.Binlog.Replication;

namespace Dm.Core.Upstream;

/// <summary>
/// What <c>SHOW MASTER STATUS</c> says of an upstream: where its binlog ends now, with the GTIDs executed up to there
/// (MySQL's Executed_Gtid_Set, MariaDB's gtid_binlog_pos), and its binlog-do-db / binlog-ignore-db lists as printed
/// (comma separated, "" when unset).
/// </summary>
public sealed record MasterStatus(BinlogLocation Location, string BinlogDoDb = "", string BinlogIgnoreDb = "");
