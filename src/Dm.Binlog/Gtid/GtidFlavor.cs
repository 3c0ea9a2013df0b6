namespace Dm.Binlog.Gtid;

/// <summary>Which server family's GTIDs a set holds: MySQL's <c>uuid:interval</c> sets or MariaDB's <c>domain-server-sequence</c> lists.</summary>
public enum GtidFlavor
{
    MySql,
    MariaDb,
}
