namespace Dm.ClusterState.Sqlite;

/// <summary>
/// An exclusive lock on "&lt;data-dir&gt;/cluster-state.lock" held for the store's lifetime, so a second
/// master started on the same data dir fails at once instead of corrupting the shared state.
/// (.NET takes an advisory flock for FileShare.None on Unix; the OS drops it if the process dies.)
/// </summary>
internal sealed class DataDirLock : IDisposable
{
    private readonly FileStream _file;

    private DataDirLock(FileStream file) => _file = file;

    public static DataDirLock Acquire(string dataDir)
    {
        string path = Path.Combine(dataDir, "cluster-state.lock");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new DataDirInUseException(dataDir, ex);
        }
        // Record the owner for whoever looks at the directory.
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true))
            writer.Write($"pid {Environment.ProcessId}\n");
        file.Flush();
        return new DataDirLock(file);
    }

    public void Dispose() => _file.Dispose();
}
