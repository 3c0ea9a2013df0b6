using System.Text.RegularExpressions;

namespace Dm.Core.Config;

/// <summary>
/// Syntax check of GTID sets in configs (relay-binlog-gtid, meta binlog-gtid): MySQL
/// "uuid:1-5:7,uuid:3" or MariaDB "domain-server-sequence,..." — which one depends on the flavor
/// ("" accepts either, as the flavor is detected later).
/// </summary>
public static partial class GtidSetSyntax
{
    public static bool IsValid(string flavor, string text)
    {
        var set = text.Trim();
        if (set.Length == 0)
            return true;
        var parts = set.Split(',', StringSplitOptions.TrimEntries);
        bool mysql = parts.All(p => MySqlPart().IsMatch(p)), mariadb = parts.All(p => MariaDbPart().IsMatch(p));
        return flavor switch
        {
            "mysql" => mysql,
            "mariadb" => mariadb,
            _ => mysql || mariadb,
        };
    }

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}(:[0-9]+(-[0-9]+)?)+$")]
    private static partial Regex MySqlPart();

    [GeneratedRegex(@"^[0-9]+-[0-9]+-[0-9]+$")]
    private static partial Regex MariaDbPart();
}
