namespace Dm.Worker.Control;

/// <summary>
/// Where this worker keeps the token of its session with the masters (<see cref="Dm.Contracts.WorkerChannelAuth"/>), so
/// that a worker killed and started again presents it and takes its name back at once; without it, the name would stay
/// held by the dead process's session until its keepalive TTL ran out (30 minutes for a relay worker). Owner-only, like
/// the join secret it goes with; written whole (a new file moved over the old one).
/// </summary>
/// <param name="path">The file.</param>
/// <param name="formerPath">Where an earlier run may have kept it (the default place, before <c>session-file</c> was set):
/// read when <paramref name="path"/> does not exist yet, removed once the token is written to <paramref name="path"/>.</param>
public sealed class WorkerSessionFile(string path, string? formerPath = null)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    private readonly string? _formerPath = formerPath is null || System.IO.Path.GetFullPath(formerPath) == System.IO.Path.GetFullPath(path)
        ? null : System.IO.Path.GetFullPath(formerPath);

    /// <summary>
    /// <c>--session-file</c> / <c>session-file</c>, else the default: <c>dm-worker-&lt;name&gt;.session</c> in the working
    /// directory (where DM's worker keeps its dumps); a token kept in the default place is still read.
    /// </summary>
    public static WorkerSessionFile For(Hosting.WorkerOptions options)
    {
        var defaultPath = $"dm-worker-{options.Name}.session";
        return new(options.SessionFile ?? defaultPath, defaultPath);
    }

    /// <summary>The token kept by an earlier run (in <see cref="Path"/>, else in the former place), or null.</summary>
    public string? Read() => ReadFrom(Path) ?? (File.Exists(Path) || _formerPath is null ? null : ReadFrom(_formerPath));

    private static string? ReadFrom(string file)
    {
        try
        {
            var text = File.ReadAllText(file).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <exception cref="IOException">the file cannot be written.</exception>
    public void Write(string token)
    {
        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(token);
        }
        File.Move(temporary, Path, overwrite: true);
        // The token now lives in its configured place only.
        if (_formerPath is not null) File.Delete(_formerPath);
    }
}
