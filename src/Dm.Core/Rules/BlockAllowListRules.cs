namespace Dm.Core.Rules;

/// <summary>
/// A block-allow list (task.yaml <c>block-allow-list.&lt;name&gt;</c>). Values starting with '~' are
/// regular expressions, anything else is a wildcard pattern with '*' and '?'.
/// </summary>
public sealed record BlockAllowListRules
{
    public List<TablePattern> DoTables { get; set; } = [];
    public List<string> DoDbs { get; set; } = [];
    public List<TablePattern> IgnoreTables { get; set; } = [];
    public List<string> IgnoreDbs { get; set; } = [];

    public bool IsEmpty => DoTables.Count == 0 && DoDbs.Count == 0 && IgnoreTables.Count == 0 && IgnoreDbs.Count == 0;
}

/// <summary><c>{db-name, tbl-name}</c> in a block-allow list.</summary>
public sealed record TablePattern(string DbName, string TblName);
