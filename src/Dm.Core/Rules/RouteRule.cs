namespace Dm.Core.Rules;

/// <summary>
/// One table-routing rule (task.yaml <c>routes.&lt;name&gt;</c>): source schema/table wildcard patterns
/// to a target schema/table, optionally filling extra target columns from the names.
/// </summary>
public sealed record RouteRule
{
    public string SchemaPattern { get; set; } = "";
    public string TablePattern { get; set; } = "";
    public string TargetSchema { get; set; } = "";
    public string TargetTable { get; set; } = "";
    public TableExtractor? ExtractTable { get; set; }
    public SchemaExtractor? ExtractSchema { get; set; }
    public SourceExtractor? ExtractSource { get; set; }
}

/// <summary>Puts the regexp's captured groups of the table name into <c>TargetColumn</c>.</summary>
public sealed record TableExtractor(string TableRegexp, string TargetColumn);

public sealed record SchemaExtractor(string SchemaRegexp, string TargetColumn);

public sealed record SourceExtractor(string SourceRegexp, string TargetColumn);
