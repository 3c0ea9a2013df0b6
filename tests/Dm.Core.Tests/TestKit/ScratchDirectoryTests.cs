using Dm.TestKit;
using Xunit;

namespace Dm.Core.Tests.TestKit;

public class ScratchDirectoryTests
{
    [Fact]
    public void Sweeps_the_directories_of_dead_hosts_and_keeps_the_rest()
    {
        var deadPid = Enumerable.Range(0, 1000).Select(i => 4_000_000 - i).First(pid => !Directory.Exists($"/proc/{pid}"));
        var orphan = Path.Combine(ScratchDirectory.Root, $"mariadb-{deadPid}-{Guid.NewGuid():N}"[..30]);
        var ours = Path.Combine(ScratchDirectory.Root, $"worker-{Environment.ProcessId}-{Guid.NewGuid():N}"[..30]);
        var alive = Path.Combine(ScratchDirectory.Root, $"master-1-{Guid.NewGuid():N}"[..24]);
        var otherName = Path.Combine(ScratchDirectory.Root, $"dmctl-{Guid.NewGuid():N}"[..18]);
        string[] all = [orphan, ours, alive, otherName];
        foreach (var dir in all)
        {
            Directory.CreateDirectory(Path.Combine(dir, "data"));
            File.WriteAllText(Path.Combine(dir, "data", "ibdata1"), "x");
        }
        try
        {
            ScratchDirectory.SweepOrphans();

            Assert.False(Directory.Exists(orphan), "a dead host's directory is swept");
            Assert.True(Directory.Exists(ours), "this host's directory stays");
            Assert.True(Directory.Exists(alive), "a live host's (pid 1) directory stays");
            Assert.True(Directory.Exists(otherName), "names without a pid are left alone");
        }
        finally
        {
            foreach (var dir in all.Where(Directory.Exists)) Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("mariadb-1234-0123456789abcdef", 1234)]
    [InlineData("template-77-0123", 77)]
    [InlineData("mariadb-0123456789abcdef0123", null)]
    [InlineData("playground-0123456789abcdef", null)]
    [InlineData("certs-x-y", null)]
    public void Reads_the_owner_pid_from_the_name(string name, int? pid) => Assert.Equal(pid, ScratchDirectory.OwnerPid(name));
}
