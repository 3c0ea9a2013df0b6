using System.Text.Json.Serialization;

namespace Dm.Core.Api;

// Wire strings exactly as dm-openapi.yaml's enums; unknown strings fail deserialisation.

public enum TaskMode
{
    [JsonStringEnumMemberName("full")] Full,
    [JsonStringEnumMemberName("incremental")] Incremental,
    [JsonStringEnumMemberName("all")] All,
    [JsonStringEnumMemberName("dump")] Dump,
    [JsonStringEnumMemberName("load")] Load,
}

public enum ShardMode
{
    [JsonStringEnumMemberName("pessimistic")] Pessimistic,
    [JsonStringEnumMemberName("optimistic")] Optimistic,
}

/// <summary>Task.on_duplicate and TaskFullMigrateConf.on_duplicate_logical.</summary>
public enum OnDuplicate
{
    [JsonStringEnumMemberName("replace")] Replace,
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("ignore")] Ignore,
    /// <summary>DM's name for <see cref="Replace"/> before v6 (its OpenAPI guide still shows it); stored as replace.</summary>
    [JsonStringEnumMemberName("overwrite")] Overwrite,
}

public enum OnDuplicatePhysical
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("manual")] Manual,
}

public enum ImportMode
{
    [JsonStringEnumMemberName("logical")] Logical,
    [JsonStringEnumMemberName("physical")] Physical,
    [JsonStringEnumMemberName("import-into")] ImportInto,
}

/// <summary>TaskFullMigrateConf.checksum and .analyze.</summary>
public enum PostImportCheck
{
    [JsonStringEnumMemberName("required")] Required,
    [JsonStringEnumMemberName("optional")] Optional,
    [JsonStringEnumMemberName("off")] Off,
}

public enum TaskStage
{
    [JsonStringEnumMemberName("Stopped")] Stopped,
    [JsonStringEnumMemberName("Running")] Running,
    [JsonStringEnumMemberName("Finished")] Finished,
    [JsonStringEnumMemberName("Paused")] Paused,
}

public enum SchemaSource
{
    [JsonStringEnumMemberName("sql")] Sql,
    [JsonStringEnumMemberName("upstream")] Upstream,
    [JsonStringEnumMemberName("downstream")] Downstream,
}

public enum ForeignKeyChecks
{
    [JsonStringEnumMemberName("0")] Off,
    [JsonStringEnumMemberName("1")] On,
}
