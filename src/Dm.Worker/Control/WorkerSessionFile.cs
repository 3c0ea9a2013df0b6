namespace Dm.Worker.Control;

/// <summary>
/// Where this worker keeps the token of its session with the masters (<see cref="Dm.Contracts.WorkerChannelAuth"/>), so
/// that a worker killed and started again presents it and takes its name back at once; without it, the name would stay
/// held by the dead process's session until its keepalive TTL ran out (30 minutes for a relay worker). Owner-only, like
/// the join secret it goes with; written whole (a new file moved over the old one).
/// </summary>
public sealed class WorkerSessionFile(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The default: <c>dm-worker-&lt;name&gt;.session</c> in the working directory (where DM's worker keeps its dumps).</summary>
    public static WorkerSessionFile For(Hosting.WorkerOptions options) =>
        new(options.SessionFile ?? $"dm-worker-{options.Name}.session");

    /// <summary>The token kept by an earlier run, or null.</summary>
    public string? Read()
    {
        try
        {
            var text = File.ReadAllText(Path).Trim();
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
    }
}
