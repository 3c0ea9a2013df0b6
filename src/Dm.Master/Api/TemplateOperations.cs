using Dm.Core.Api;
using Dm.Master.OpenApi;
using Dm.Master.Tasks;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>/api/v1/tasks/templates: saved task JSON the Web UI and dmctl reuse.</summary>
public static class TemplateOperations
{
    private const string Tag = "task";
    private static readonly ApiParameter TaskName = ApiParameter.Path("task-name", "task name");

    public static IEnumerable<ApiOperation> All(TemplateService templates) =>
    [
        new("POST", "/api/v1/tasks/templates", "DMAPICreateTaskTemplate", Tag, "create task config template",
            async r => r.Created(await templates.CreateAsync(await r.Body<DmTask>(required: false), r.Aborted)))
        {
            RequestBody = typeof(DmTask),
            Responses = [Created(typeof(DmTask)), Failed()],
        },
        new("GET", "/api/v1/tasks/templates", "DMAPIGetTaskTemplateList", Tag, "get task config template list",
            async r => r.Ok(await templates.ListAsync(r.Aborted)))
        {
            Responses = [Ok(typeof(GetTaskListResponse)), Failed()],
        },
        new("POST", "/api/v1/tasks/templates/import", "DMAPIImportTaskTemplate", Tag, "import task config template",
            async r => r.Accepted(await templates.ImportAsync(
                await r.Body(required: false, whenEmpty: () => new TaskTemplateRequest { Overwrite = false }), r.Aborted)))
        {
            RequestBody = typeof(TaskTemplateRequest),
            Responses = [new ApiResponse(202, typeof(TaskTemplateResponse), "success"), Failed()],
        },
        new("GET", "/api/v1/tasks/templates/{task-name}", "DMAPIGetTaskTemplate", Tag, "get task config template",
            async r => r.Ok(await templates.GetAsync(r.Path("task-name"), r.Aborted)))
        {
            Parameters = [TaskName],
            Responses = [Ok(typeof(DmTask)), Failed()],
        },
        new("PUT", "/api/v1/tasks/templates/{task-name}", "DMAPUpdateTaskTemplate", Tag, "update task config template",
            async r =>
            {
                var name = r.Path("task-name");
                return r.Ok(await templates.UpdateAsync(name, await r.Body<DmTask>(required: true), r.Aborted));
            })
        {
            Parameters = [TaskName],
            // DM's spec gives this operation no request body, yet its handler binds a Task.
            Responses = [Ok(typeof(DmTask)), Failed()],
        },
        new("DELETE", "/api/v1/tasks/templates/{task-name}", "DMAPIDeleteTaskTemplate", Tag, "delete task config template",
            async r =>
            {
                await templates.DeleteAsync(r.Path("task-name"), r.Aborted);
                return r.NoContent();
            })
        {
            Parameters = [TaskName],
            Responses = [NoContent(), Failed()],
        },
    ];
}
