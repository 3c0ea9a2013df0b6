using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Ctl.Master;

namespace Dm.Ctl.Commands;

/// <summary>The sources of a stored task, and the <c>-s</c> subset a command was given (checked against them).</summary>
public static class TaskSources
{
    public static async Task<List<string>> OfAsync(MasterClient master, string task, CancellationToken ct)
    {
        var body = MasterClient.FromBody<DmTask>(await master.GetAsync($"/api/v1/tasks/{MasterClient.Escape(task)}", ct));
        return body.SourceConfig.SourceConf.Select(s => s.SourceName).ToList();
    }

    public static async Task<List<string>> SelectedAsync(MasterClient master, string task, List<string> requested, CancellationToken ct)
    {
        var all = await OfAsync(master, task, ct);
        if (requested.Count == 0) return all;
        var unknown = requested.Where(r => !all.Contains(r)).ToList();
        if (unknown.Count > 0) throw DmErrors.ErrSchedulerSourceCfgNotExist.New(string.Join(",", unknown));
        return requested.Distinct().ToList();
    }
}
