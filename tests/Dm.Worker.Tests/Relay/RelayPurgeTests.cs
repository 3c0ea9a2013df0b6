using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Worker.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dm.Worker.Tests.Relay;

/// <summary>
/// What a relay purge removes: the decision alone (files, what needs them, the request), then the purger on real files
/// with a driven clock and a driven free-space figure: by name, by age, by free space, each keeping what is needed and
/// saying why.
/// </summary>
public sealed class RelayPurgeTests() : RelayFilesTest("relaypurge")
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ByNameRemovesEveryFileBeforeItUnlessOneIsNeeded()
    {
        var (s1, s2) = (Sub(1), Sub(2));
        var files = new[] { File(s1, 1, 10), File(s1, 2, 9), File(s2, 1, 8), File(s2, 2, 7), File(s2, 3, 1) };
        var needs = new[] { new RelayNeed("task t1's checkpoint", At(s2, 2, 1234)), new RelayNeed("the relay writer", At(s2, 3, 99)) };

        var decision = RelayPurgePlan.Decide(files, needs, Before(s2, 2));
        Assert.Equal(["mysql-bin|000001.000001", "mysql-bin|000001.000002", "mysql-bin|000002.000001"], decision.Delete.Select(f => f.RelayName.Name));
        Assert.Null(decision.Reason);

        var refused = RelayPurgePlan.Decide(files, needs, Before(s2, 3));
        Assert.True(refused.Refused);
        Assert.Empty(refused.Delete);
        Assert.Equal("task t1's checkpoint still needs mysql-bin|000002.000002 (from mysql-bin|000002.000002:1234)", refused.Reason);

        // A checkpoint the relay cannot place (an empty name) needs everything.
        Assert.True(RelayPurgePlan.Decide(files, [new RelayNeed("task t2's checkpoint", new BinlogPosition("", 0))], Before(s1, 2)).Refused);
    }

    [Fact]
    public void ByAgeRemovesTheExpiredPrefixUpToWhatIsNeeded()
    {
        var s1 = Sub(1);
        var files = Enumerable.Range(1, 6).Select(i => File(s1, i, hoursOld: 10 - i)).ToList(); // 9, 8, 7, 6, 5, 4 hours old
        var cutoff = Now - TimeSpan.FromHours(5.5);
        var needs = new[] { new RelayNeed("sync of task t1", At(s1, 3, 500)) };

        var decision = RelayPurgePlan.Decide(files, needs, new RelayPurgeRequest.Expired(cutoff));
        Assert.Equal([1L, 2L], decision.Delete.Select(f => f.RelayName.Sequence));
        Assert.Equal("sync of task t1 still needs mysql-bin|000001.000003 (from mysql-bin|000001.000003:500)", decision.Reason);

        var unneeded = RelayPurgePlan.Decide(files, [new RelayNeed("the relay writer", At(s1, 6, 4))], new RelayPurgeRequest.Expired(cutoff));
        Assert.Equal([1L, 2L, 3L, 4L], unneeded.Delete.Select(f => f.RelayName.Sequence));
        Assert.Null(unneeded.Reason);

        var lowSpace = RelayPurgePlan.Decide(files, needs, new RelayPurgeRequest.LowSpace());
        Assert.Equal([1L, 2L], lowSpace.Delete.Select(f => f.RelayName.Sequence));
        Assert.NotNull(lowSpace.Reason);
    }

    [Fact]
    public async Task ThePurgerKeepsWhatReadersAndTheWriterNeedAndDropsEmptiedSubDirectories()
    {
        // Two sub-directories of real relay files, the first fully older than a day.
        var directory = RelayDirectory.Open(Dir);
        var log = new RelayLog(directory, GtidFlavor.MariaDb);
        var old = directory.Add("0-7");
        var current = directory.Add("0-8");
        foreach (var (sub, count) in new[] { (old, 3), (current, 4) })
        {
            var upstream = new UpstreamStream();
            for (var i = 1; i < count; i++) { upstream.Transaction(); upstream.Rotate(); }
            using var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null);
            foreach (var ev in upstream.Take()) writer.Write(ev);
        }
        foreach (var sub in new[] { old, current })
        foreach (var (file, i) in sub.BinlogFiles().Select((f, i) => (f, i)))
            System.IO.File.SetLastWriteTimeUtc(sub.FilePath(file), Now - TimeSpan.FromHours(sub == old ? 30 : 20 - i));
        var time = new ManualClock(Now);
        var free = 100L << 30;
        var purger = new RelayPurger(log, new PurgeConfig { Interval = 1, Expires = 24, RemainSpace = 15 }, new RelayTaskCheckpoints(() => []), time,
            NullLogger.Instance) { FreeBytes = () => free };
        using var reader = log.AddReader("sync of task t1", () => new BinlogPosition(current.RelayName("mysql-bin.000002"), 300));

        // By age: the old sub-directory goes whole (and leaves the index); the current one's files are younger.
        await purger.PurgeOnceAsync(CancellationToken.None);
        Assert.Equal([current.Name], directory.SubDirectories.Select(s => s.Name));
        Assert.False(Directory.Exists(old.Path));
        Assert.Equal("0-8.000002\n", System.IO.File.ReadAllText(directory.IndexPath));
        Assert.Equal(4, current.BinlogFiles().Count);

        // By name: refused while the reader needs file 2, naming it; allowed up to it.
        var refused = await Assert.ThrowsAsync<DmException>(() => purger.PurgeBeforeAsync("mysql-bin.000003", null, CancellationToken.None));
        Assert.Equal(DmErrors.ErrRelayPurgeIsForbidden.Code, refused.Code);
        Assert.Contains("sync of task t1 still needs mysql-bin|000002.000002", refused.Message);
        Assert.Equal(4, current.BinlogFiles().Count);
        Assert.Equal(["mysql-bin|000002.000001"], await purger.PurgeBeforeAsync("mysql-bin.000002", null, CancellationToken.None));

        // By free space: everything before what is needed, nothing after it, however little space is left.
        time.Now += TimeSpan.FromHours(100);
        free = 1L << 30;
        await purger.PurgeOnceAsync(CancellationToken.None);
        Assert.Equal(["mysql-bin.000002", "mysql-bin.000003", "mysql-bin.000004"], current.BinlogFiles());

        // A sub-directory or file the relay does not have is an invalid request.
        var invalid = await Assert.ThrowsAsync<DmException>(() => purger.PurgeBeforeAsync("mysql-bin.000002", "0-9.000003", CancellationToken.None));
        Assert.Equal(DmErrors.ErrRelayPurgeRequestNotValid.Code, invalid.Code);
    }

    [Theory]
    [InlineData("../../etc.000001")]
    [InlineData("a/b.000001")]
    [InlineData("..\\x.000001")]
    [InlineData("...000001")]
    public void An_index_entry_cannot_name_a_directory_outside_the_relay_dir(string name) =>
        // A purge deletes the sub-directories the index names: one with a separator or '..' is not read (the index is then refused).
        Assert.False(RelaySubDirectory.TryParse(Dir, name, out _));

    private RelaySubDirectory Sub(int suffix)
    {
        RelaySubDirectory.TryParse(Dir, RelaySubDirectory.NameOf($"0-{suffix}", suffix), out var sub);
        return sub;
    }

    private static RelayFileInfo File(RelaySubDirectory sub, int sequence, double hoursOld) =>
        new(sub, $"mysql-bin.{sequence:D6}", Now - TimeSpan.FromHours(hoursOld), 1000);

    private static BinlogPosition At(RelaySubDirectory sub, int sequence, long offset) => new(sub.RelayName($"mysql-bin.{sequence:D6}"), offset);

    private static RelayPurgeRequest Before(RelaySubDirectory sub, int sequence) =>
        new RelayPurgeRequest.BeforeFile(BinlogFileName.Parse(sub.RelayName($"mysql-bin.{sequence:D6}")));

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualClock(DateTime now) : TimeProvider
    {
        public DateTime Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
