using Dm.Core.Errors;

namespace Dm.Core.Config;

/// <summary>
/// When a source's <c>relay_binlog_gtid</c> is where its relay log starts, and whether it is written in the source's
/// flavor. The relay starts from it with <c>enable_gtid</c>, or when no <c>relay_binlog_name</c> is given (a task's
/// checkpoint comes first either way). A set of the other flavor (a MySQL UUID set for a MariaDB source, as DM's own
/// OpenAPI example stores) is refused when it would be used, at source create, update and enable-relay, not only when the
/// relay starts; unused, it is kept as given.
/// </summary>
public static class RelayStartGtid
{
    public static bool IsUsed(string gtid, bool enableGtid, string binlogName) =>
        gtid.Trim().Length > 0 && (enableGtid || binlogName.Length == 0);

    /// <summary>Refuses a set the relay would start from that is not of <paramref name="flavor"/> ("mysql" or "mariadb").</summary>
    /// <exception cref="DmException">11012 (not a MariaDB set), 11011 (not a MySQL set), 11009 (neither).</exception>
    public static void Check(string flavor, string gtid, bool enableGtid, string binlogName)
    {
        if (!IsUsed(gtid, enableGtid, binlogName) || GtidSetSyntax.IsValid(flavor, gtid)) return;
        string what = $"relay_binlog_gtid {gtid.Trim()} (the relay of this {flavor} source would start from it)";
        if (!GtidSetSyntax.IsValid("", gtid)) throw DmErrors.ErrParseGTID.New(what);
        throw flavor == Upstream.ServerFlavor.MariaDb ? DmErrors.ErrNotMariaDBGTID.New(what) : DmErrors.ErrNotMySQLGTID.New(what);
    }
}
