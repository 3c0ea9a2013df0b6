using Dm.Worker.Control;
using Dm.Worker.Hosting;

namespace Dm.Worker.Tests.Hosting;

/// <summary>
/// The worker's session token file: placed by <c>--session-file</c> or the <c>session-file</c> key, and a token an earlier
/// run kept in the default place is still read (then moved to the configured one when written).
/// </summary>
public sealed class WorkerSessionFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dm-session-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_flag_and_the_key_place_the_file()
    {
        var path = Path.Combine(_dir, "w1.session");
        Assert.Equal(path, WorkerCommandLine.Parse(["--name", "w1", "--session-file", path], _ => null).SessionFile);
        var config = Path.Combine(_dir, "worker.toml");
        File.WriteAllText(config, $"name = \"w1\"\nsession-file = \"{path}\"\n");
        var options = WorkerCommandLine.Parse(["--config", config], _ => null);
        Assert.Equal(path, options.SessionFile);
        Assert.Equal(path, WorkerSessionFile.For(options).Path);
        Assert.Equal(Path.GetFullPath("dm-worker-w1.session"), WorkerSessionFile.For(options with { SessionFile = null }).Path);
    }

    [Fact]
    public void A_token_in_the_former_place_is_read_and_moved_on_write()
    {
        var former = Path.Combine(_dir, "dm-worker-w1.session");
        var configured = Path.Combine(_dir, "state", "w1.session");
        Directory.CreateDirectory(Path.GetDirectoryName(configured)!);
        File.WriteAllText(former, "old-token\n");
        var file = new WorkerSessionFile(configured, former);
        Assert.Equal("old-token", file.Read());

        file.Write("new-token");
        Assert.Equal("new-token", File.ReadAllText(configured));
        Assert.False(File.Exists(former));
        Assert.Equal("new-token", new WorkerSessionFile(configured, former).Read());
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(configured));
    }

    [Fact]
    public void The_configured_file_wins_over_the_former_place()
    {
        var former = Path.Combine(_dir, "dm-worker-w1.session");
        var configured = Path.Combine(_dir, "w1.session");
        File.WriteAllText(former, "stale");
        File.WriteAllText(configured, "current");
        Assert.Equal("current", new WorkerSessionFile(configured, former).Read());
        Assert.Null(new WorkerSessionFile(Path.Combine(_dir, "none.session")).Read());
    }
}
