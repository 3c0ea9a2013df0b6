using System.Collections.Concurrent;
using Dm.Core.Config;

namespace Dm.Worker.Dump;

/// <summary>
/// Which sources this worker process holds dump files for, reported to the master in heartbeats so that a source
/// needing a worker goes to the one whose disk already has its dump. A dir counts while it holds a dump plan (Load
/// removes the dir when it is done, which ends the claim). Dirs left by an earlier process are found once, when the
/// registry is made, where DM puts them by default (<c>./dumped_data.*</c>), through the source id recorded in their
/// plan; dirs the Dump unit writes are registered by it. One per worker process (a DI singleton).
/// </summary>
public sealed class DumpFileRegistry
{
    private readonly ConcurrentDictionary<string, string> _sourceByDir = new(StringComparer.Ordinal);

    /// <summary>A registry holding the dump dirs an earlier process left in DM's default location.</summary>
    public DumpFileRegistry()
    {
        foreach (var dir in DefaultLocationDirs())
            if (new DumpDirectory(dir).TryReadManifest()?.SourceId is { Length: > 0 } source)
                _sourceByDir[dir] = source;
    }

    public void Register(string dumpDir, string sourceId) => _sourceByDir[Path.GetFullPath(dumpDir)] = sourceId;

    /// <summary>The sources with a dump dir on disk now, each once (a known dir whose plan is gone is forgotten).</summary>
    public IReadOnlyList<string> Sources()
    {
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (dir, source) in _sourceByDir)
        {
            if (HoldsDump(dir)) sources.Add(source);
            else _sourceByDir.TryRemove(new KeyValuePair<string, string>(dir, source));
        }
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
