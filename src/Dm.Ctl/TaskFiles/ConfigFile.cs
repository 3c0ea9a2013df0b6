using Dm.Core.Config;
using Dm.Core.Errors;

namespace Dm.Ctl.TaskFiles;

/// <summary>Reads DM's YAML config files from disk; decoding is Dm.Core's strict decoder (key and line in errors).</summary>
public static class ConfigFile
{
    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DmErrors.ErrConfigReadCfgFromFile.Wrap(ex, path);
        }
    }

    public static SourceConfig ReadSource(string path) => Decode(path, SourceConfig.FromYaml);

    public static TaskConfig ReadTask(string path) => Decode(path, TaskConfig.FromYaml);

    /// <summary>DM's rule for a "task-name | task-file" argument: a .yaml/.yml file that decodes gives its name.</summary>
    public static string TaskName(string argument)
    {
        if ((argument.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || argument.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            && File.Exists(argument))
        {
            try
            {
                var name = TaskConfig.FromYaml(File.ReadAllText(argument)).Name;
                if (name.Length > 0) return name;
            }
            catch (DmException)
            {
            }
        }
        return argument;
    }

    /// <summary>A source argument of operate-source stop: a source file gives its source-id, anything else is an ID.</summary>
    public static string SourceId(string argument)
    {
        if (!File.Exists(argument)) return argument;
        return ReadSource(argument).SourceId;
    }

    private static T Decode<T>(string path, Func<string, T> decode)
    {
        var text = Read(path);
        try
        {
            return decode(text);
        }
        catch (DmException ex)
        {
            // Keep DM's code; say which file the key and line belong to.
            throw new DmException(ex.Error, $"{path}: {ex.RawMessage}", ex.InnerException);
        }
    }
}
