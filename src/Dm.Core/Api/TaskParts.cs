using System.Text.Json.Serialization;

namespace Dm.Core.Api;

// The parts of the OpenAPI Task schema.

public sealed record TaskTargetDataBase
{
    public required string Host { get; init; }
    public required string Password { get; init; }
    public required int Port { get; init; }
    public Security? Security { get; init; }
    public TaskTargetSession? Session { get; init; }
    public required string User { get; init; }
}

/// <summary>The only schema with additionalProperties: false — unknown keys are rejected.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TaskTargetSession
{
    public ForeignKeyChecks? ForeignKeyChecks { get; init; }
}

public sealed record TaskBinLogFilterRule
{
    public List<string>? IgnoreEvent { get; init; }
    public List<string>? IgnoreSql { get; init; }
}

public sealed record TaskTableMigrateRule
{
    public List<string>? BinlogFilterRule { get; init; }
    public required TaskTableMigrateRuleSource Source { get; init; }
    public TaskTableMigrateRuleTarget? Target { get; init; }
}

public sealed record TaskTableMigrateRuleSource
{
    public required string Schema { get; init; }
    public required string SourceName { get; init; }
    public required string Table { get; init; }
}

public sealed record TaskTableMigrateRuleTarget
{
    public string? Schema { get; init; }
    public string? Table { get; init; }
    /// <summary>DM#'s: the route's <c>extract-table</c> (DM's OpenAPI has none): a target column filled from the table name (<c>table_regexp</c>'s groups).</summary>
    public Rules.TableExtractor? ExtractTable { get; init; }
    /// <summary>DM#'s: the route's <c>extract-schema</c>.</summary>
    public Rules.SchemaExtractor? ExtractSchema { get; init; }
    /// <summary>DM#'s: the route's <c>extract-source</c>.</summary>
    public Rules.SourceExtractor? ExtractSource { get; init; }
}

/// <summary>
/// DM#'s form of a task.yaml <c>expression-filter</c> rule (DM's OpenAPI has none): rows of <c>schema</c>.<c>table</c> for which
/// the expression of their kind of change is true are not replicated.
/// </summary>
public sealed record TaskExpressionFilter
{
    public required string Schema { get; init; }
    public required string Table { get; init; }
    public string? InsertValueExpr { get; init; }
    public string? UpdateOldValueExpr { get; init; }
    public string? UpdateNewValueExpr { get; init; }
    public string? DeleteValueExpr { get; init; }
}

public sealed record TaskFullMigrateConf
{
    public PostImportCheck? Analyze { get; init; }
    public PostImportCheck? Checksum { get; init; }
    [JsonPropertyName("compress-kv-pairs")]
    public string? CompressKvPairs { get; init; }
    public string? Consistency { get; init; }
    public string? DataDir { get; init; }
    public string? DiskQuota { get; init; }
    public int? ExportThreads { get; init; }
    public ImportMode? ImportMode { get; init; }
    public int? ImportThreads { get; init; }
    public OnDuplicate? OnDuplicateLogical { get; init; }
    public OnDuplicatePhysical? OnDuplicatePhysical { get; init; }
    public string? PdAddr { get; init; }
    public int? RangeConcurrency { get; init; }
    public Security? Security { get; init; }
    public string? SortingDir { get; init; }
}

public sealed record TaskIncrMigrateConf
{
    public int? ReplBatch { get; init; }
    public int? ReplThreads { get; init; }
    public bool? SafeMode { get; init; }
}

public sealed record TaskSourceConf
{
    public string? BinlogGtid { get; init; }
    public string? BinlogName { get; init; }
    public int? BinlogPos { get; init; }
    public required string SourceName { get; init; }
    /// <summary>DM#'s: the task's <c>expression_filter</c> rules this source applies (task.yaml's <c>mysql-instances[].expression-filters</c>); all of them when absent.</summary>
    public List<string>? ExpressionFilters { get; init; }
}

public sealed record TaskSourceConfig
{
    public TaskFullMigrateConf? FullMigrateConf { get; init; }
    public TaskIncrMigrateConf? IncrMigrateConf { get; init; }
    public required List<TaskSourceConf> SourceConf { get; init; }
}

public sealed record TaskCheckerConfig
{
    public string? BackoffMax { get; init; }
    public string? BackoffRollback { get; init; }
    public bool? Enable { get; init; }
}
