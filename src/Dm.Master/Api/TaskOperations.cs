using Dm.Core.Api;
using Dm.Master.OpenApi;
using Dm.Master.Tasks;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>/api/v1/tasks: task configs, stages, status, migrate targets, schema tracker, converters.</summary>
public static class TaskOperations
{
    private const string Tag = "task";
    private static readonly ApiParameter TaskName = ApiParameter.Path("task-name", "task name");
    private static readonly ApiParameter SourceName = ApiParameter.Path("source-name", "source name");
    private static readonly ApiParameter SchemaName = ApiParameter.Path("schema-name", "schema name");
    private static readonly ApiParameter TableName = ApiParameter.Path("table-name", "table name");
    private static readonly string[] Stages = ["Stopped", "Running", "Finished", "Paused"];
    private const string TablePath = "/api/v1/tasks/{task-name}/sources/{source-name}/schemas/{schema-name}/{table-name}";

    public static IEnumerable<ApiOperation> All(TaskService tasks, TaskUpstreamView upstream, TableStructureService structures,
        TaskConversion conversion) =>
    [
        new("POST", "/api/v1/tasks", "DMAPICreateTask", Tag, "create a task",
            async r => r.Created(await tasks.CreateAsync(await r.Body<CreateTaskRequest>(required: false), r.Aborted)))
        {
            RequestBody = typeof(CreateTaskRequest),
            Responses = [Created(typeof(OperateTaskResponse)), Failed()],
        },
        new("GET", "/api/v1/tasks", "DMAPIGetTaskList", Tag, "get task list",
            async r => r.Ok(await tasks.ListAsync(r.QueryBool("with_status") ?? false, r.QueryEnum("stage", Stages),
                r.QueryList("source_name_list"), r.Aborted)))
        {
            Parameters =
            [
                ApiParameter.Query<bool>("with_status", "get task with status"),
                ApiParameter.Query<TaskStage>("stage", "task stage"),
                ApiParameter.Query<List<string>>("source_name_list", "task source name list"),
            ],
            Responses = [Ok(typeof(GetTaskListResponse)), Failed()],
        },
        new("GET", "/api/v1/tasks/{task-name}", "DMAPIGetTask", Tag, "get task config",
            async r => r.Ok(await tasks.GetAsync(r.Path("task-name"), r.QueryBool("with_status") ?? false, r.Aborted)))
        {
            Parameters = [TaskName, ApiParameter.Query<bool>("with_status", "get task with status")],
            Responses = [Ok(typeof(DmTask)), new ApiResponse(404, null, "task not found"), Failed()],
        },
        new("DELETE", "/api/v1/tasks/{task-name}", "DMAPIDeleteTask", Tag, "delete a task",
            async r =>
            {
                await tasks.DeleteAsync(r.Path("task-name"), r.QueryBool("force") ?? false, r.QueryBool("keep_meta") ?? false, r.Aborted);
                return r.NoContent();
            })
        {
            Parameters =
            [
                TaskName,
                ApiParameter.Query<bool>("force", "force stop task even if some subtask is running"),
                ApiParameter.Query<bool>("keep_meta", "keep the checkpoint and other meta of the task"),
            ],
            Responses = [NoContent(), Failed()],
        },
        new("PUT", "/api/v1/tasks/{task-name}", "DMAPIUpdateTask", Tag, "update a task",
            async r =>
            {
                var name = r.Path("task-name");
                return r.Ok(await tasks.UpdateAsync(name, await r.Body<UpdateTaskRequest>(required: false), r.Aborted));
            })
        {
            Parameters = [TaskName],
            RequestBody = typeof(UpdateTaskRequest),
            Responses = [Ok(typeof(OperateTaskResponse)), Failed()],
        },
        new("GET", "/api/v1/tasks/{task-name}/status", "DMAPIGetTaskStatus", Tag, "get task status",
            async r => r.Ok(await tasks.StatusAsync(r.Path("task-name"), r.QueryList("source_name_list"), r.Aborted)))
        {
            Parameters = [TaskName, ApiParameter.Query<List<string>>("source_name_list", "source name list")],
            Responses = [Ok(typeof(GetTaskStatusResponse)), Failed()],
        },
        new("POST", "/api/v1/tasks/{task-name}/start", "DMAPIStartTask", Tag, "start a task",
            async r =>
            {
                var name = r.Path("task-name");
                await tasks.StartAsync(name, await r.Body<StartTaskRequest>(required: false), r.Aborted);
                return r.Done();
            })
        {
            Parameters = [TaskName],
            RequestBody = typeof(StartTaskRequest),
            Responses = [Ok(null), Failed()],
        },
        new("POST", "/api/v1/tasks/{task-name}/stop", "DMAPIStopTask", Tag, "stop a task",
            async r =>
            {
                var name = r.Path("task-name");
                await tasks.StopAsync(name, await r.Body<StopTaskRequest>(required: false), r.Aborted);
                return r.Done();
            })
        {
            Parameters = [TaskName],
            RequestBody = typeof(StopTaskRequest),
            Responses = [Ok(null), Failed()],
        },
        new("GET", "/api/v1/tasks/{task-name}/sources/{source-name}/migrate_targets", "DMAPIGetTaskMigrateTargets", Tag,
            "get task migrate targets",
            async r => r.Ok(await upstream.MigrateTargetsAsync(r.Path("task-name"), r.Path("source-name"),
                r.QueryString("schema_pattern"), r.QueryString("table_pattern"), r.Aborted)))
        {
            Parameters =
            [
                TaskName, SourceName,
                ApiParameter.Query<string>("schema_pattern", "source schema pattern"),
                ApiParameter.Query<string>("table_pattern", "source table pattern"),
            ],
            Responses = [Ok(typeof(GetTaskMigrateTargetsResponse)), Failed()],
        },
        new("GET", "/api/v1/tasks/{task-name}/sources/{source-name}/schemas", "DMAPIGetSchemaListByTaskAndSource", Tag,
            "get task source schema list",
            async r => r.Ok(await structures.SchemasAsync(r.Path("task-name"), r.Path("source-name"), r.Aborted)))
        {
            Parameters = [TaskName, SourceName],
            Responses = [Ok(typeof(List<string>)), Failed()],
        },
        new("GET", "/api/v1/tasks/{task-name}/sources/{source-name}/schemas/{schema-name}", "DMAPIGetTableListByTaskAndSource", Tag,
            "get task source table list",
            async r => r.Ok(await structures.TablesAsync(r.Path("task-name"), r.Path("source-name"), r.Path("schema-name"), r.Aborted)))
        {
            Parameters = [TaskName, SourceName, SchemaName],
            Responses = [Ok(typeof(List<string>)), Failed()],
        },
        new("GET", TablePath, "DMAPIGetTableStructure", Tag, "get task source table structure",
            async r => r.Ok(await structures.GetAsync(r.Path("task-name"), r.Path("source-name"), r.Path("schema-name"),
                r.Path("table-name"), r.Aborted)))
        {
            Parameters = [TaskName, SourceName, SchemaName, TableName],
            Responses = [Ok(typeof(GetTaskTableStructureResponse)), Failed()],
        },
        new("PUT", TablePath, "DMAPIOperateTableStructure", Tag, "operate task source table structure",
            async r =>
            {
                var (task, source, schema, table) = (r.Path("task-name"), r.Path("source-name"), r.Path("schema-name"), r.Path("table-name"));
                var body = await r.Body<OperateTaskTableStructureRequest>(required: true);
                await structures.OperateAsync(task, source, schema, table, body, r.Aborted);
                return r.Done();
            })
        {
            Parameters = [TaskName, SourceName, SchemaName, TableName],
            RequestBody = typeof(OperateTaskTableStructureRequest),
            RequestBodyRequired = true,
            Responses = [Ok(null), Failed()],
        },
        new("DELETE", TablePath, "DMAPIDeleteTableStructure", Tag, "delete task source table structure",
            async r =>
            {
                await structures.DeleteAsync(r.Path("task-name"), r.Path("source-name"), r.Path("schema-name"),
                    r.Path("table-name"), r.Aborted);
                return r.NoContent();
            })
        {
            Parameters = [TaskName, SourceName, SchemaName, TableName],
            Responses = [NoContent(), Failed()],
        },
        new("POST", "/api/v1/tasks/converters", "DMAPIConvertTask", Tag, "turn task's config file to task json or the opposite",
            async r => r.Ok(await conversion.ConvertAsync(await r.Body<ConverterTaskRequest>(required: false), r.Aborted)))
        {
            RequestBody = typeof(ConverterTaskRequest),
            // DM's spec says 201; its handler answers 200, which clients rely on.
            Responses = [Ok(typeof(ConverterTaskResponse)), Failed()],
        },
    ];
}
