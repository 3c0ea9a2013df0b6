namespace Dm.Core.Api;

// Request and response bodies of the /tasks endpoints.

public sealed record CreateTaskRequest
{
    public required DmTask Task { get; init; }
}

public sealed record UpdateTaskRequest
{
    public required DmTask Task { get; init; }
}

public sealed record OperateTaskResponse
{
    public required string CheckResult { get; init; }
    public required DmTask Task { get; init; }
}

public sealed record StartTaskRequest
{
    public bool? RemoveMeta { get; init; }
    public string? SafeModeTimeDuration { get; init; }
    public List<string>? SourceNameList { get; init; }
    public string? StartTime { get; init; }
}

public sealed record StopTaskRequest
{
    public List<string>? SourceNameList { get; init; }
    public string? TimeoutDuration { get; init; }
}

public sealed record GetTaskListResponse
{
    public required List<DmTask> Data { get; init; }
    public required int Total { get; init; }
}

public sealed record GetTaskStatusResponse
{
    public required List<SubTaskStatus> Data { get; init; }
    public required int Total { get; init; }
}

public sealed record TaskMigrateTarget
{
    public required string SourceSchema { get; init; }
    public required string SourceTable { get; init; }
    public required string TargetSchema { get; init; }
    public required string TargetTable { get; init; }
}

public sealed record GetTaskMigrateTargetsResponse
{
    public required List<TaskMigrateTarget> Data { get; init; }
    public required int Total { get; init; }
}

public sealed record OperateTaskTableStructureRequest
{
    public bool? Flush { get; init; }
    public SchemaSource? SchemaSource { get; init; }
    public string? SqlContent { get; init; }
    public bool? Sync { get; init; }
}

/// <summary>The spec lists a non-existent "table_create_sql" as required; table_name is what DM fills.</summary>
public sealed record GetTaskTableStructureResponse
{
    public string? SchemaCreateSql { get; init; }
    public string? SchemaName { get; init; }
    public required string TableName { get; init; }
}

public sealed record ConverterTaskRequest
{
    public DmTask? Task { get; init; }
    public string? TaskConfigFile { get; init; }
}

public sealed record ConverterTaskResponse
{
    public required DmTask Task { get; init; }
    public required string TaskConfigFile { get; init; }
}

public sealed record TaskTemplateRequest
{
    public required bool Overwrite { get; init; }
}

public sealed record TaskTemplateResponse
{
    public required List<TaskTemplateFailure> FailedTaskList { get; init; }
    public required List<string> SuccessTaskList { get; init; }
}

public sealed record TaskTemplateFailure
{
    public required string ErrorMsg { get; init; }
    public required string TaskName { get; init; }
}
