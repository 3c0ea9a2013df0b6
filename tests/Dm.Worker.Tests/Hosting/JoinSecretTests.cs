using Dm.Core.CommandLine;
using Dm.Worker.Control;
using Dm.Worker.Hosting;

namespace Dm.Worker.Tests.Hosting;

/// <summary>A worker needs the cluster's join secret: not given is an error at start naming the key, as is giving it twice.</summary>
public sealed class JoinSecretTests
{
    [Fact]
    public void A_worker_without_the_join_secret_does_not_start()
    {
        var refused = Assert.Throws<ProcessConfigException>(() => new JoinSecretSource(WorkerCommandLine.Parse([], _ => null)));
        Assert.Contains("join-secret-file is required", refused.Message, StringComparison.Ordinal);
        refused = Assert.Throws<ProcessConfigException>(() =>
            new JoinSecretSource(WorkerCommandLine.Parse(["--join-secret", "x", "--join-secret-file", "/nowhere"], _ => null)));
        Assert.Contains("both given", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_secret_file_is_read_again_until_it_exists()
    {
        var file = Path.Combine(Path.GetTempPath(), "dm-join-secret-" + Guid.NewGuid().ToString("N"));
        var source = new JoinSecretSource(WorkerCommandLine.Parse(["--join-secret-file", file], _ => null));
        Assert.Null(source.Known);
        Assert.Contains("join-secret-file", Assert.Throws<IOException>(() => source.Read()).Message, StringComparison.Ordinal);
        try
        {
            File.WriteAllText(file, "abc123\n");
            Assert.Equal("abc123", source.Read());
            Assert.Equal("abc123", source.Known);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal("given", new JoinSecretSource(WorkerCommandLine.Parse(["--join-secret=given"], _ => null)).Read());
    }
}
