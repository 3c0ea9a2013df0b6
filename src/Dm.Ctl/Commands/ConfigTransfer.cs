using System.Text.Json.Nodes;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Ctl.Master;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Commands;

/// <summary>
/// config export/import: <c>&lt;dir&gt;/sources/*.yaml</c> and <c>&lt;dir&gt;/tasks/*.yaml</c> in DM's formats. The
/// OpenAPI never returns passwords, so exported files hold "******"; import refuses such files until the
/// password is filled in (DM's export reads etcd directly and keeps the encrypted password).
/// </summary>
public static class ConfigTransfer
{
    public static async Task<JsonObject> ExportAsync(MasterClient master, string dir, CancellationToken ct)
    {
        var sourcesDir = Path.Combine(dir, "sources");
        var tasksDir = Path.Combine(dir, "tasks");
        Directory.CreateDirectory(sourcesDir);
        Directory.CreateDirectory(tasksDir);
        var sources = MasterClient.FromBody<GetSourceListResponse>(await master.GetAsync("/api/v1/sources", ct)).Data;
        foreach (var s in sources)
            await File.WriteAllTextAsync(Path.Combine(sourcesDir, s.SourceName + ".yaml"), SourceConverter.ToSourceConfig(s).ToYaml(), ct);
        var tasks = await master.GetAsync("/api/v1/tasks", ct);
        var count = 0;
        foreach (var task in tasks?["data"]?.AsArray() ?? [])
        {
            var name = task!["name"]!.GetValue<string>();
            await File.WriteAllTextAsync(Path.Combine(tasksDir, name + ".yaml"), await ConfigReader.ToYamlAsync(master, task, ct), ct);
            count++;
        }
        var result = ResultJson.Ok($"export configs to directory `{dir}` succeed; passwords are written as \"{SourceConverter.ObfuscatedPassword}\" (fill them in before importing)");
        result["sources"] = sources.Count;
        result["tasks"] = count;
        return result;
    }

    public static async Task<JsonObject> ImportAsync(MasterClient master, string dir, CancellationToken ct)
    {
        if (!Directory.Exists(dir)) throw CtlException.Usage($"config import: directory {dir} does not exist");
        var sourceFiles = Files(Path.Combine(dir, "sources"));
        var taskFiles = Files(Path.Combine(dir, "tasks"));
        var sources = sourceFiles.Select(f => (File: f, Config: ConfigFile.ReadSource(f))).ToList();
        foreach (var (file, cfg) in sources) SourceConverter.RefuseUncarried(cfg, file);
        var obfuscated = sources.Where(s => s.Config.From.Password == SourceConverter.ObfuscatedPassword).Select(s => s.File)
            .Concat(taskFiles.Where(f => ConfigFile.ReadTask(f).TargetDatabase?.Password == SourceConverter.ObfuscatedPassword))
            .ToList();
        if (obfuscated.Count > 0)
            throw CtlException.Usage($"config import: these files still hold the obfuscated password \"{SourceConverter.ObfuscatedPassword}\"; " +
                                     $"write the real password first: {string.Join(", ", obfuscated)}");

        foreach (var (_, cfg) in sources)
        {
            var source = SourceConverter.ToApiSource(cfg) with { Password = cfg.From.Password };
            await master.PostAsync("/api/v1/sources", MasterClient.ToBody(new CreateSourceRequest { Source = source }), ct);
        }
        foreach (var file in taskFiles)
        {
            var (_, task) = await TaskFileConverter.ConvertAsync(master, file, ct);
            await master.PostAsync("/api/v1/tasks", MasterClient.ToBody(new CreateTaskRequest { Task = task }), ct);
        }
        var result = ResultJson.Ok($"import configs from directory `{dir}` succeed; tasks are created stopped: " +
                                   "start them with `resume-task`, and restore relay with `start-relay` / `transfer-source`");
        result["sources"] = sources.Count;
        result["tasks"] = taskFiles.Count;
        return result;
    }

    private static List<string> Files(string dir) => Directory.Exists(dir)
        ? Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList()
        : [];
}
