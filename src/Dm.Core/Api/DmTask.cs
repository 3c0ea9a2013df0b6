namespace Dm.Core.Api;

/// <summary>
/// The OpenAPI "Task" schema. Named DmTask so it never collides with System.Threading.Tasks.Task.
/// </summary>
public sealed record DmTask
{
    public SortedDictionary<string, TaskBinLogFilterRule>? BinlogFilterRule { get; init; }
    public required bool EnhanceOnlineSchemaChange { get; init; }
    /// <summary>DM#'s: task.yaml's <c>expression-filter</c> rules by name (DM's OpenAPI has none); sources take them through <c>source_conf[].expression_filters</c>.</summary>
    public SortedDictionary<string, TaskExpressionFilter>? ExpressionFilter { get; init; }
    public List<string>? IgnoreCheckingItems { get; init; }
    public string? MetaSchema { get; init; }
    public required string Name { get; init; }
    public required OnDuplicate OnDuplicate { get; init; }
    public ShardMode? ShardMode { get; init; }
    public required TaskSourceConfig SourceConfig { get; init; }
    public List<SubTaskStatus>? StatusList { get; init; }
    public bool? StrictOptimisticShardMode { get; init; }
    public required List<TaskTableMigrateRule> TableMigrateRule { get; init; }
    public required TaskTargetDataBase TargetConfig { get; init; }
    public required TaskMode TaskMode { get; init; }
    public string? Timezone { get; init; }
    /// <summary>
    /// DM#'s: the DM task.yaml this task was made from (dmctl start-task sends the file as given; target password "******").
    /// When present the subtasks are resolved from it, so every task.yaml key DM documents is kept and applied (or refused,
    /// naming it); the fields above describe the task for DM's OpenAPI clients. <c>config task</c> returns it unchanged.
    /// </summary>
    public string? TaskConfigFile { get; init; }
}
