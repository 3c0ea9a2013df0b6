namespace Dm.Core.Rules;

/// <summary>
/// One binlog event filter rule (task.yaml <c>filters.&lt;name&gt;</c>, source.yaml <c>filters</c>).
/// </summary>
public sealed record BinlogEventRule
{
    public string SchemaPattern { get; set; } = "";
    public string TablePattern { get; set; } = "";
    /// <summary>Event type names as DM spells them ("all dml", "truncate table", ...).</summary>
    public List<string> Events { get; set; } = [];
    /// <summary>Regexes matched against the DDL text.</summary>
    public List<string> SqlPattern { get; set; } = [];
    /// <summary>"Do", "Ignore" or "Error" (DM's spelling; matched case-insensitively like DM).</summary>
    public string Action { get; set; } = "";
}
