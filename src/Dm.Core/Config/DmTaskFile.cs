using Dm.Core.Api;
using Dm.Core.Errors;
using YamlDotNet.RepresentationModel;

namespace Dm.Core.Config;

/// <summary>
/// DM#'s <c>task_config_file</c> of an API task (<see cref="DmTask.TaskConfigFile"/>): the DM task.yaml the task was made
/// from, kept as given so that every key DM documents survives start-task, <c>config task</c> and <c>get-config</c>. The
/// subtasks are resolved from it as DM resolves a task.yaml; the target password stays in the task's <c>target_config</c>
/// (encrypted at rest there), the file keeps <c>******</c> in its place.
/// </summary>
public static class DmTaskFile
{
    /// <summary>The file's task config, validated as DM does, checked against the API task that carries it.</summary>
    /// <param name="task">The API task; its target password (revealed or not) replaces the file's.</param>
    public static TaskConfig Read(DmTask task)
    {
        var cfg = TaskConfig.FromYaml(task.TaskConfigFile ?? throw new ArgumentException("the task has no task_config_file", nameof(task)));
        cfg.Validate();
        if (cfg.Name != task.Name)
            throw DmErrors.ErrOpenAPICommonError.WithMessage(
                $"task_config_file: name \"{cfg.Name}\" differs from the task's name \"{task.Name}\"");
        var inFile = cfg.MysqlInstances.Select(i => i.SourceId).ToHashSet(StringComparer.Ordinal);
        var missing = task.SourceConfig.SourceConf.Select(c => c.SourceName).Where(s => !inFile.Contains(s)).ToList();
        if (missing.Count > 0)
            throw DmErrors.ErrOpenAPICommonError.WithMessage(
                $"task_config_file: source(s) {string.Join(", ", missing)} of the task are not in the file's mysql-instances");
        cfg.TargetDatabase!.Password = task.TargetConfig.Password;
        return cfg;
    }

    /// <summary>The file's <c>target-database.session</c> variables, in order; none for a task without a file.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> TargetSession(DmTask task) =>
        task.TaskConfigFile is { Length: > 0 } file && TaskConfig.FromYaml(file).TargetDatabase?.Session is { Count: > 0 } session
            ? [.. session]
            : [];

    /// <summary>
    /// The subtasks of the sources the API task names (all of the file's, or fewer after <c>start-task -s</c>), as DM builds
    /// them from the file.
    /// </summary>
    public static List<SubTaskConfig> ToSubTasks(DmTask task, IReadOnlyDictionary<string, SourceConfig> sources)
    {
        var cfg = Read(task);
        var named = task.SourceConfig.SourceConf.Select(c => c.SourceName).ToHashSet(StringComparer.Ordinal);
        cfg.MysqlInstances = cfg.MysqlInstances.Where(i => named.Contains(i.SourceId)).ToList();
        return cfg.ToSubTasks(sources);
    }

    /// <summary>
    /// The file with the value of <c>target-database.password</c> replaced by <c>******</c> (an empty one stays empty), every
    /// other character as given.
    /// </summary>
    public static string HidePassword(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            Yaml.YamlBounds.Check(yaml, "task config");
            stream.Load(new StringReader(yaml));
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or Errors.DmException)
        {
            return yaml; // not YAML: it holds no password we could find, and it is refused when read
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root ||
            !root.Children.TryGetValue(new YamlScalarNode("target-database"), out var target) || target is not YamlMappingNode db ||
            !db.Children.TryGetValue(new YamlScalarNode("password"), out var password) ||
            password is YamlScalarNode { Value: PasswordMask.Obfuscated or "" or null })
            return yaml;
        var (start, end) = ((int)password.Start.Index, (int)password.End.Index);
        return string.Concat(yaml.AsSpan(0, start), "\"" + PasswordMask.Obfuscated + "\"", yaml.AsSpan(end));
    }
}
