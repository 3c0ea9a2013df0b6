using System.Collections.Concurrent;
using Dm.Core.Config;

namespace Dm.Worker.Dump;

/// <summary>
/// Which sources this worker process holds dump files for, reported to the master in heartbeats so that a source
/// needing a worker goes to the one whose disk already has its dump. A dir counts while it exists and holds a
/// dump plan (Load removes the dir when it is done, which ends the claim). Dirs written by this process are
/// remembered; dirs left by an earlier process are found where DM puts them by default (<c>./dumped_data.*</c>),
/// through the source id recorded in their plan.
/// </summary>
public static class DumpFileRegistry
{
    private static readonly ConcurrentDictionary<string, string> SourceByDir = new(StringComparer.Ordinal);

    public static void Register(string dumpDir, string sourceId) => SourceByDir[Path.GetFullPath(dumpDir)] = sourceId;

    /// <summary>The sources with a dump dir on disk now, each once.</summary>
    public static IReadOnlyList<string> Sources()
    {
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (dir, source) in SourceByDir)
        {
            if (HoldsDump(dir)) sources.Add(source);
            else SourceByDir.TryRemove(new KeyValuePair<string, string>(dir, source));
        }
        foreach (var dir in DefaultLocationDirs())
            if (!SourceByDir.ContainsKey(dir) && new DumpDirectory(dir).TryReadManifest()?.SourceId is { Length: > 0 } source)
                sources.Add(source);
        return sources.ToList();
    }

    private static bool HoldsDump(string dir) => File.Exists(Path.Combine(dir, DumpFileNames.Manifest));

    private static IEnumerable<string> DefaultLocationDirs()
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(LoaderConfig.DefaultDir))!;
        var prefix = Path.GetFileName(LoaderConfig.DefaultDir) + ".";
        try
        {
            return Directory.EnumerateDirectories(parent, prefix + "*").Where(HoldsDump).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
