using System.Text.Json.Nodes;

namespace Dm.Master.Tests;

[Collection(MasterCollection.Name)]
public sealed class TemplateApiTests(MasterEnvironment env)
{
    private ApiClient Api => env.Api;

    [Fact]
    public async Task TemplatesCanBeCreatedReadUpdatedAndDeleted()
    {
        Assert.Equal(201, (await Api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("tpl-src", env.Upstream1) })).Code);
        var task = TaskBodies.Full("tpl-1", env, "tpl-src");
        var created = await Api.Post("/api/v1/tasks/templates", task.ToJsonString());
        Assert.True(created.Code == 201, created.ToString());
        Assert.Equal("******", created.Json!["target_config"]!["password"]!.GetValue<string>());
        Assert.Equal(20050, (await Api.Post("/api/v1/tasks/templates", task.ToJsonString())).ErrorCode);

        var list = await Api.Get("/api/v1/tasks/templates");
        Assert.Contains(list.Json!["data"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "tpl-1");

        var get = await Api.Get("/api/v1/tasks/templates/tpl-1");
        Assert.Equal(200, get.Code);
        Assert.Equal("full", get.Json!["task_mode"]!.GetValue<string>());
        Assert.Equal(20051, (await Api.Get("/api/v1/tasks/templates/nope")).ErrorCode);

        // A GET-edit-PUT round trip: the hidden password keeps the stored one.
        var edited = get.Json!.AsObject();
        edited["on_duplicate"] = "error";
        var put = await Api.Put("/api/v1/tasks/templates/tpl-1", edited.ToJsonString());
        Assert.True(put.Code == 200, put.ToString());
        Assert.Equal("error", (await Api.Get("/api/v1/tasks/templates/tpl-1")).Json!["on_duplicate"]!.GetValue<string>());
        Assert.Equal(400, (await Api.Put("/api/v1/tasks/templates/tpl-1")).Code);
        Assert.Equal(20051, (await Api.Put("/api/v1/tasks/templates/nope", TaskBodies.Full("nope", env, "tpl-src").ToJsonString())).ErrorCode);

        Assert.Equal(204, (await Api.Delete("/api/v1/tasks/templates/tpl-1")).Code);
        Assert.Equal(20051, (await Api.Delete("/api/v1/tasks/templates/tpl-1")).ErrorCode);
    }

    [Fact]
    public async Task ImportSavesEveryTaskAndRespectsOverwrite()
    {
        Assert.Equal(201, (await Api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("tpl-imp-src", env.Upstream1) })).Code);
        Assert.Equal(201, (await Api.Post("/api/v1/tasks", new JsonObject { ["task"] = TaskBodies.Full("tpl-imp", env, "tpl-imp-src") }.ToJsonString())).Code);

        var first = await Api.Post("/api/v1/tasks/templates/import");
        Assert.Equal(202, first.Code);
        Assert.Contains(first.Json!["success_task_list"]!.AsArray(), n => n!.GetValue<string>() == "tpl-imp");

        var again = await Api.Post("/api/v1/tasks/templates/import", new { overwrite = false });
        Assert.Contains(again.Json!["failed_task_list"]!.AsArray(), f => f!["task_name"]!.GetValue<string>() == "tpl-imp");
        var overwrite = await Api.Post("/api/v1/tasks/templates/import", new { overwrite = true });
        Assert.Contains(overwrite.Json!["success_task_list"]!.AsArray(), n => n!.GetValue<string>() == "tpl-imp");
        Assert.Equal(200, (await Api.Get("/api/v1/tasks/templates/tpl-imp")).Code);
    }
}
