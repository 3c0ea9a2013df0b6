using System.Text;
using Dm.Core.Upstream;

namespace Dm.Master.Precheck.Privileges;

/// <summary>
/// The privileges a job needs: some ON *.*, some on given tables. <see cref="Missing"/> words the gap as DM does:
/// "lack of SELECT privilege: {`db`.`t1`, `db`.`t2`}; lack of RELOAD global (*.*) privilege; ".
/// </summary>
public sealed class PrivilegeRequirement
{
    private readonly HashSet<Privilege> _global = [];
    private readonly Dictionary<Privilege, List<(string Database, string Table)>> _onTables = [];

    public PrivilegeRequirement Global(params Privilege[] privileges)
    {
        _global.UnionWith(privileges);
        return this;
    }

    public PrivilegeRequirement OnTables(Privilege privilege, IEnumerable<(string Database, string Table)> tables)
    {
        if (!_onTables.TryGetValue(privilege, out var list)) _onTables[privilege] = list = [];
        list.AddRange(tables);
        return this;
    }

    /// <summary>Null when everything is granted, else DM's "lack of ..." text.</summary>
    public string? Missing(AccountPrivileges account)
    {
        var text = new StringBuilder();
        foreach (var privilege in _global.Concat(_onTables.Keys).Distinct().Order())
        {
            if (_global.Contains(privilege))
            {
                if (!account.HasGlobal(privilege)) text.Append($"lack of {privilege.Sql()} global (*.*) privilege; ");
                continue;
            }
            var missing = _onTables[privilege]
                .Distinct()
                .Where(t => !account.HasOnTable(privilege, t.Database, t.Table))
                .GroupBy(t => t.Database)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Join(", ", g.Select(t => t.Table).Order(StringComparer.Ordinal).Select(t => Quote.Table(g.Key, t))))
                .ToList();
            if (missing.Count > 0) text.Append($"lack of {privilege.Sql()} privilege: {{{string.Join("; ", missing)}}}; ");
        }
        return text.Length == 0 ? null : text.ToString();
    }
}
