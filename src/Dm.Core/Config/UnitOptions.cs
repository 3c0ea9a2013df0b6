using Dm.Core.Errors;

namespace Dm.Core.Config;

/// <summary>DM's adjust of loader options: defaults, legacy spellings, allowed values (20053/20054/20062/20063/20065).</summary>
public static class LoaderOptions
{
    public static void Adjust(LoaderConfig l)
    {
        var mode = l.ImportMode.ToLowerInvariant();
        if (mode is "" or "sql" or "loader")
            mode = "logical";
        if (mode is not ("logical" or "physical" or "import-into"))
            throw DmErrors.ErrConfigInvalidLoadMode.New(l.ImportMode);
        l.ImportMode = mode;
        if (l.PoolSize == 0)
            l.PoolSize = 16;
        if (l.OnDuplicateLogical.Length == 0)
            l.OnDuplicateLogical = l.OnDuplicate.Length > 0 ? l.OnDuplicate : "replace";
        l.OnDuplicateLogical = l.OnDuplicateLogical.ToLowerInvariant();
        if (l.OnDuplicateLogical is not ("replace" or "error" or "ignore"))
            throw DmErrors.ErrConfigInvalidDuplicateResolution.New(l.OnDuplicateLogical);
        l.OnDuplicatePhysical = l.OnDuplicatePhysical.Length == 0 ? "none" : l.OnDuplicatePhysical.ToLowerInvariant();
        if (l.OnDuplicatePhysical is not ("none" or "manual"))
            throw DmErrors.ErrConfigInvalidPhysicalDuplicateResolution.New(l.OnDuplicatePhysical);
        l.ChecksumPhysical = l.ChecksumPhysical.Length == 0 ? "required" : l.ChecksumPhysical.ToLowerInvariant();
        if (l.ChecksumPhysical is not ("required" or "optional" or "off"))
            throw DmErrors.ErrConfigInvalidPhysicalChecksum.New(l.ChecksumPhysical);
        l.Analyze = l.Analyze.Length == 0 ? "optional" : l.Analyze.ToLowerInvariant();
        if (l.Analyze is not ("required" or "optional" or "off"))
            throw DmErrors.ErrConfigInvalidLoadAnalyze.New(l.Analyze);
    }

    /// <summary>
    /// A local dump dir (data_dir) may not climb out with <c>..</c>, nor be a filesystem root or the worker's working
    /// directory itself: the worker deletes its dump dir when it restarts a dump and after a load with clean-dump-file,
    /// so such a dir would make it delete outside its own directories (20058).
    /// </summary>
    public static void CheckLocalDir(string dir)
    {
        var path = dir.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? dir["file://".Length..] : dir;
        if (path.Split('/', '\\').Any(segment => segment == ".."))
            throw DmErrors.ErrConfigLoaderDirInvalid.New($"{dir} (a '..' segment leaves the worker's directories)");
        const string workdir = "/dm-worker-working-dir";
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, workdir));
        if (full == workdir || full == Path.TrimEndingDirectorySeparator(Path.GetPathRoot(full) ?? "/"))
            throw DmErrors.ErrConfigLoaderDirInvalid.New($"{dir} (a filesystem root or the worker's own directory would be deleted with the dump)");
    }

    /// <summary>True for remote storage URLs (s3://, gcs://, ...) rather than a local directory.</summary>
    public static bool IsRemoteDir(string dir) => dir.Contains("://", StringComparison.Ordinal) && !dir.StartsWith("file://", StringComparison.OrdinalIgnoreCase);
}

/// <summary>DM's adjust of syncer options: queue/flush defaults, safe-mode-duration (20060/20061).</summary>
public static class SyncerOptions
{
    public static void Adjust(SyncerConfig s)
    {
        if (s.QueueSize == 0)
            s.QueueSize = 1024;
        if (s.CheckpointFlushInterval == 0)
            s.CheckpointFlushInterval = 30;
        if (s.SafeModeDuration.Length == 0)
            s.SafeModeDuration = $"{(long)s.DefaultSafeModeDuration.TotalSeconds}s";
        if (!GoDuration.TryParse(s.SafeModeDuration, out var duration))
            throw DmErrors.ErrConfigInvalidSafeModeDuration.New(s.SafeModeDuration, "invalid duration");
        if (s.SafeMode && duration == TimeSpan.Zero)
            throw DmErrors.ErrConfigConfictSafeModeDurationAndSafeMode.New();
    }
}
