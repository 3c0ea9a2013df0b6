using System.Text.Json.Nodes;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Ctl.Master;

namespace Dm.Ctl.Commands;

/// <summary>Stored task and source configs rendered as DM's YAML (passwords stay "******": the API never returns them).</summary>
public static class ConfigReader
{
    public static async Task<string> TaskYamlAsync(MasterClient master, string task, CancellationToken ct)
    {
        var stored = await master.GetAsync($"/api/v1/tasks/{MasterClient.Escape(task)}", ct);
        return await ToYamlAsync(master, stored!, ct);
    }

    public static async Task<string> TemplateYamlAsync(MasterClient master, string task, CancellationToken ct)
    {
        var stored = await master.GetAsync($"/api/v1/tasks/templates/{MasterClient.Escape(task)}", ct);
        return await ToYamlAsync(master, stored!, ct);
    }

    public static async Task<string> ToYamlAsync(MasterClient master, JsonNode task, CancellationToken ct)
    {
        var clean = task.DeepClone().AsObject();
        clean.Remove("status_list");
        var converted = await master.PostAsync("/api/v1/tasks/converters", new JsonObject { ["task"] = clean }, ct);
        return converted?["task_config_file"]?.GetValue<string>() ?? "";
    }

    public static async Task<string> SourceYamlAsync(MasterClient master, string source, CancellationToken ct)
    {
        var node = await master.GetOrNullAsync($"/api/v1/sources/{MasterClient.Escape(source)}", ct)
                   ?? throw DmErrors.ErrSchedulerSourceCfgNotExist.New(source);
        return SourceConverter.ToSourceConfig(MasterClient.FromBody<Source>(node)).ToYaml();
    }
}
