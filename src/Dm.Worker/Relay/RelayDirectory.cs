using Dm.Core.Errors;

namespace Dm.Worker.Relay;

/// <summary>
/// A source's relay log on disk, DM's layout: under the base directory one sub-directory per upstream server pulled from
/// (<see cref="RelaySubDirectory"/>), listed oldest first in <c>server-uuid.index</c>, one name a line. The list is
/// replaced (never changed in place) when a sub-directory is added or removed, so readers take it without a lock.
/// </summary>
internal sealed class RelayDirectory
{
    public const string IndexFile = "server-uuid.index";

    private volatile IReadOnlyList<RelaySubDirectory> _subDirectories;

    private RelayDirectory(string basePath, IReadOnlyList<RelaySubDirectory> subDirectories)
    {
        BasePath = basePath;
        _subDirectories = subDirectories;
    }

    public string BasePath { get; }

    public string IndexPath => Path.Combine(BasePath, IndexFile);

    /// <summary>The sub-directories, oldest first.</summary>
    public IReadOnlyList<RelaySubDirectory> SubDirectories => _subDirectories;

    /// <summary>The newest sub-directory (the one the relay writes to), or null before the first pull.</summary>
    public RelaySubDirectory? Current => _subDirectories.Count == 0 ? null : _subDirectories[^1];

    /// <summary>
    /// The relay log under <paramref name="basePath"/> (created when missing), as its index lists it. DM's 30008 for an
    /// empty path, 28001 for an index it cannot read, 28002 for a name that is not <c>uuid.000001</c>, 30002 for suffixes out of order.
    /// </summary>
    public static RelayDirectory Open(string basePath)
    {
        if (string.IsNullOrWhiteSpace(basePath)) throw DmErrors.ErrRelayLogDirpathEmpty.New();
        var full = Path.GetFullPath(basePath);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DmErrors.ErrRelayMkdir.Wrap(e);
        }
        var index = Path.Combine(full, IndexFile);
        var list = new List<RelaySubDirectory>();
        if (File.Exists(index))
        {
            string[] lines;
            try { lines = File.ReadAllLines(index); }
            catch (IOException e) { throw DmErrors.ErrRelayParseUUIDIndex.Wrap(e); }
            foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0))
            {
                if (!RelaySubDirectory.TryParse(full, line, out var sub)) throw DmErrors.ErrRelayParseUUIDSuffix.New(line);
                if (list.Count > 0 && sub.Suffix <= list[^1].Suffix) throw DmErrors.ErrRelayUUIDSuffixLessThanPrev.New(list[^1].Name, sub.Name);
                // A sub-directory the index names but a crash left uncreated holds nothing yet.
                Directory.CreateDirectory(sub.Path);
                list.Add(sub);
            }
        }
        return new RelayDirectory(full, list);
    }

    /// <summary>
    /// Adds the sub-directory for upstream server <paramref name="uuid"/> after the newest (suffix one higher): made on disk
    /// first, then the index names it (durably), so a crash leaves at worst an empty directory the index does not list.
    /// </summary>
    public RelaySubDirectory Add(string uuid)
    {
        var suffix = (Current?.Suffix ?? 0) + 1;
        var name = RelaySubDirectory.NameOf(uuid, suffix);
        RelaySubDirectory.TryParse(BasePath, name, out var sub);
        try
        {
            Directory.CreateDirectory(sub.Path);
            DurableFile.SyncDirectory(BasePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DmErrors.ErrRelayMkdir.Wrap(e);
        }
        WriteIndex([.. _subDirectories, sub]);
        return sub;
    }

    /// <summary>Drops whole sub-directories (a purge): the index first, then their files.</summary>
    public void Remove(IReadOnlyCollection<RelaySubDirectory> removed)
    {
        if (removed.Count == 0) return;
        var names = removed.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        WriteIndex(_subDirectories.Where(s => !names.Contains(s.Name)).ToList());
        foreach (var sub in removed)
        {
            try { Directory.Delete(sub.Path, recursive: true); }
            catch (DirectoryNotFoundException) { }
        }
    }

    /// <summary>The sub-directory with this suffix, or null.</summary>
    public RelaySubDirectory? WithSuffix(int suffix) => _subDirectories.FirstOrDefault(s => s.Suffix == suffix);

    private void WriteIndex(IReadOnlyList<RelaySubDirectory> list)
    {
        try
        {
            DurableFile.Replace(IndexPath, string.Concat(list.Select(s => s.Name + "\n")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DmErrors.ErrRelayUpdateIndexFile.Wrap(e, IndexPath);
        }
        _subDirectories = list;
    }
}
