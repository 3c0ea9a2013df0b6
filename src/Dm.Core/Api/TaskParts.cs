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
