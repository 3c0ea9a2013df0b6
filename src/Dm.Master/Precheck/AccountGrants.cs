using Dm.Core.Upstream;
using Dm.Master.Precheck.Privileges;
using MySqlConnector;

namespace Dm.Master.Precheck;

/// <summary>
/// SHOW GRANTS of the connected account plus the grants of its active roles (and of roles granted to those),
/// so privileges that come through a default role count as they do for the dump and replication connections.
/// </summary>
internal static class AccountGrants
{
    public static async Task<IReadOnlyList<string>> ReadAsync(MySqlConnection connection, bool mariaDb, CancellationToken cancellationToken)
    {
        var lines = await SqlRows.ReadAsync(connection, "SHOW GRANTS", r => r.GetString(0), cancellationToken);
        var active = await ActiveRolesAsync(connection, mariaDb, cancellationToken);
        var seen = new HashSet<(string, string?)>();
        var pending = new Queue<(string Name, string? Host)>(active);
        var all = new List<string>(lines);
        while (pending.Count > 0)
        {
            var role = pending.Dequeue();
            if (!seen.Add(role)) continue;
            var target = role.Host == null ? Quote.Identifier(role.Name) : Quote.Identifier(role.Name) + "@" + Quote.Identifier(role.Host);
            IReadOnlyList<string> roleLines;
            try
            {
                roleLines = await SqlRows.ReadAsync(connection, "SHOW GRANTS FOR " + target, r => r.GetString(0), cancellationToken);
            }
            catch (UpstreamException)
            {
                continue; // a role we may not inspect adds nothing we can prove
            }
            all.AddRange(roleLines);
            foreach (var inner in AccountPrivileges.RolesIn(roleLines)) pending.Enqueue(inner);
        }
        return all.Distinct().ToList();
    }

    private static async Task<IReadOnlyList<(string, string?)>> ActiveRolesAsync(MySqlConnection connection, bool mariaDb, CancellationToken cancellationToken)
    {
        string? current;
        try
        {
            current = (await SqlRows.ReadAsync(connection, "SELECT CURRENT_ROLE()", r => r.NullableString(0), cancellationToken)).FirstOrDefault();
        }
        catch (UpstreamException)
        {
            return []; // MySQL 5.x has no roles
        }
        if (string.IsNullOrEmpty(current) || current == "NONE") return [];
        // MariaDB prints the bare role name; MySQL a list of `role`@`host`.
        if (mariaDb) return [(current, null)];
        return GrantParser.Parse($"GRANT {current} TO x").Roles;
    }
}
