namespace Dm.Master.Precheck.Privileges;

/// <summary>
/// What an account may do, from its SHOW GRANTS lines (its active roles' lines included):
/// answers "has privilege P on db.table" and "has P on *.*" the way the server decides it.
/// </summary>
public sealed class AccountPrivileges
{
    private readonly HashSet<Privilege> _global = [];
    private bool _globalAll;
    private readonly List<(string Pattern, HashSet<Privilege> Privileges, bool All)> _databases = [];
    private readonly List<(string Database, string Table, HashSet<Privilege> Privileges, bool All)> _tables = [];
    private readonly List<(string Database, HashSet<Privilege> Privileges, bool All)> _revokes = [];
    private readonly StringComparison _names;

    /// <param name="grants">SHOW GRANTS lines.</param>
    /// <param name="caseSensitiveNames">False when the server folds table names (lower_case_table_names ≠ 0).</param>
    public AccountPrivileges(IEnumerable<string> grants, bool caseSensitiveNames = true)
    {
        _names = caseSensitiveNames ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        foreach (var line in grants.Where(IsGrantLine)) Add(GrantParser.Parse(line));
    }

    /// <summary>MariaDB lists "SET DEFAULT ROLE r FOR u" among the grants: it grants nothing.</summary>
    private static bool IsGrantLine(string line) => !line.TrimStart().StartsWith("SET DEFAULT ROLE", StringComparison.OrdinalIgnoreCase);

    private void Add(GrantStatement grant)
    {
        if (grant.Level == GrantLevel.Other) return;
        var all = grant.Privileges.Any(p => p.IsAll);
        // A column-level SELECT does not let the dumper read whole rows (nor SHOW CREATE TABLE): ignore it.
        var privileges = grant.Privileges
            .Where(p => p.Columns.Count == 0)
            .Select(p => PrivilegeNames.Parse(p.Name))
            .OfType<Privilege>()
            .ToHashSet();
        if (!grant.IsGrant)
        {
            if (grant.Level == GrantLevel.Database) _revokes.Add((grant.Database, privileges, all));
            return;
        }
        switch (grant.Level)
        {
            case GrantLevel.Global:
                _globalAll |= all;
                _global.UnionWith(privileges);
                break;
            case GrantLevel.Database:
                _databases.Add((grant.Database, privileges, all));
                break;
            case GrantLevel.Table:
                _tables.Add((grant.Database, grant.Table, privileges, all));
                break;
        }
    }

    /// <summary>Granted ON *.* (ALL PRIVILEGES included; SUPER stands in for REPLICATION CLIENT, as the server allows).</summary>
    public bool HasGlobal(Privilege privilege) =>
        _globalAll || _global.Contains(privilege) ||
        (privilege == Privilege.ReplicationClient && _global.Contains(Privilege.Super));

    /// <summary>Effective on every table of <paramref name="database"/> (global not revoked there, or a matching db grant).</summary>
    public bool HasOnDatabase(Privilege privilege, string database)
    {
        if (HasGlobal(privilege) && !privilege.GlobalOnly() && !Revoked(privilege, database)) return true;
        if (privilege.GlobalOnly()) return HasGlobal(privilege);
        return _databases.Any(d => (d.All || d.Privileges.Contains(privilege)) && DatabasePattern.Matches(d.Pattern, database, _names));
    }

    /// <summary>Effective on one table.</summary>
    public bool HasOnTable(Privilege privilege, string database, string table) =>
        HasOnDatabase(privilege, database) ||
        (!privilege.GlobalOnly() && _tables.Any(t => (t.All || t.Privileges.Contains(privilege)) &&
                                                     string.Equals(t.Database, database, _names) &&
                                                     string.Equals(t.Table, table, _names)));

    private bool Revoked(Privilege privilege, string database) =>
        _revokes.Any(r => (r.All || r.Privileges.Contains(privilege)) && string.Equals(r.Database, database, _names));

    /// <summary>The role grants among the lines (GRANT role TO user), to be expanded by the caller.</summary>
    public static IEnumerable<(string Name, string? Host)> RolesIn(IEnumerable<string> grants) =>
        grants.Where(IsGrantLine).Select(GrantParser.Parse).Where(g => g.IsGrant && g.IsRoleGrant).SelectMany(g => g.Roles);
}

/// <summary>MySQL's LIKE-style database names in grants: % and _ are wildcards, \ escapes them.</summary>
public static class DatabasePattern
{
    public static bool Matches(string pattern, string name, StringComparison comparison)
    {
        if (!pattern.Contains('%') && !pattern.Contains('_') && !pattern.Contains('\\'))
            return string.Equals(pattern, name, comparison);
        return Match(pattern, 0, name, 0, comparison == StringComparison.OrdinalIgnoreCase);
    }

    private static bool Match(string p, int pi, string s, int si, bool ignoreCase)
    {
        while (pi < p.Length)
        {
            var c = p[pi];
            if (c == '%')
            {
                for (var k = si; k <= s.Length; k++)
                    if (Match(p, pi + 1, s, k, ignoreCase)) return true;
                return false;
            }
            if (si >= s.Length) return false;
            if (c == '_') { pi++; si++; continue; }
            if (c == '\\' && pi + 1 < p.Length) { pi++; c = p[pi]; }
            if (!(ignoreCase ? char.ToLowerInvariant(c) == char.ToLowerInvariant(s[si]) : c == s[si])) return false;
            pi++;
            si++;
        }
        return si == s.Length;
    }
}
