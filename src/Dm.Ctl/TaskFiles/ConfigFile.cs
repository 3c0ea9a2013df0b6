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

    /// <summary>Reads a source.yaml; a deprecated <c>from.max-allowed-packet</c> is reported on stderr (DM ignores it).</summary>
    public static SourceConfig ReadSource(string path)
    {
        var cfg = Decode(path, SourceConfig.FromYaml);
        if (cfg.From.MaxAllowedPacketWarning("from") is { } warning) Console.Error.WriteLine($"warning: {path}: {warning}");
        return cfg;
    }

    /// <summary>Reads a task.yaml; a deprecated <c>target-database.max-allowed-packet</c> is reported on stderr (DM ignores it).</summary>
    public static TaskConfig ReadTask(string path)
    {
        var cfg = Decode(path, TaskConfig.FromYaml);
        if (cfg.TargetDatabase?.MaxAllowedPacketWarning("target-database") is { } warning) Console.Error.WriteLine($"warning: {path}: {warning}");
        return cfg;
    }

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
