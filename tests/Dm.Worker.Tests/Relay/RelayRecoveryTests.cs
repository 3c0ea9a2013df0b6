using Dm.Binlog.Files;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Worker.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dm.Worker.Tests.Relay;

/// <summary>
/// Recovery of a relay sub-directory after a crash at any instant: whatever the file's length, it is cut back to the end
/// of its last whole transaction, the meta says so, and a writer resumed there makes the upstream's file again.
/// </summary>
public sealed class RelayRecoveryTests() : RelayFilesTest("relayrecovery")
{
    [Fact]
    public void ACrashAtAnyByteCutsBackToTheLastWholeTransactionAndResumingRebuildsTheFile()
    {
        var upstream = new UpstreamStream();
        upstream.Transaction();
        upstream.Ddl();
        upstream.Transaction(statements: 3);
        var whole = upstream.Length; // the end of the third transaction: what a crash after it keeps
        upstream.Transaction(statements: 4);
        var file = upstream.Files["mysql-bin.000001"].ToArray();
        var durableMetaAt = 0L;
        {
            // The writer synced after the second transaction only; the rest reached the file (the OS has it after kill -9).
            var (_, sub, log) = Open();
            var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null);
            foreach (var ev in upstream.Take())
            {
                writer.Write(ev);
                if (ev.Decoded is Dm.Binlog.Events.QueryEvent { Query: "CREATE TABLE t (a INT)" }) { writer.Sync(); durableMetaAt = writer.Boundary.Position; }
            }
            writer.Flush();
            // Dropped without Dispose: no final sync, as after kill -9.
        }
        Assert.True(durableMetaAt > 4 && durableMetaAt < whole);
        var meta = File.ReadAllText(Path.Combine(Dir, "0-7.000001", "relay.meta"));

        for (var cut = (int)durableMetaAt; cut <= file.Length; cut++)
        {
            var copy = Path.Combine(Dir, "cut");
            if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
            Directory.CreateDirectory(Path.Combine(copy, "0-7.000001"));
            File.WriteAllText(Path.Combine(copy, "server-uuid.index"), "0-7.000001\n");
            File.WriteAllText(Path.Combine(copy, "0-7.000001", "relay.meta"), meta);
            File.WriteAllBytes(Path.Combine(copy, "0-7.000001", "mysql-bin.000001"), file[..cut]);
            var sub = RelayDirectory.Open(copy).Current!;

            var resume = RelayRecovery.Recover(sub, GtidFlavor.MariaDb, NullLogger.Instance);

            var expected = cut == file.Length ? file.Length : cut >= whole ? whole : durableMetaAt;
            Assert.Equal(new BinlogPosition("mysql-bin.000001", expected), resume.Position);
            Assert.Equal(expected, new FileInfo(sub.FilePath("mysql-bin.000001")).Length);
            Assert.Equal(expected == file.Length ? "0-7-4" : expected == whole ? "0-7-3" : "0-7-2", resume.Gtid?.ToString());
            Assert.Equal(resume.Position, RelayMeta.Read(sub.MetaPath, GtidFlavor.MariaDb)!.Position);
            Assert.Equal(expected, resume.Active!.Length);
        }

        // A writer resumed where recovery left the last cut makes the upstream's file again.
        var last = RelayDirectory.Open(Path.Combine(Dir, "cut"));
        var cutSub = last.Current!;
        File.WriteAllBytes(cutSub.FilePath("mysql-bin.000001"), file[..(int)(whole + 30)]);
        File.WriteAllText(cutSub.MetaPath, meta);
        var recovered = RelayRecovery.Recover(cutSub, GtidFlavor.MariaDb, NullLogger.Instance);
        using (var writer = new RelayWriter(cutSub, new RelayLog(last, GtidFlavor.MariaDb), recovered.Position!.Value, recovered.Gtid))
            foreach (var ev in upstream.Replay("mysql-bin.000001", recovered.Position.Value.Position)) writer.Write(ev);
        Assert.Equal(file, File.ReadAllBytes(cutSub.FilePath("mysql-bin.000001")));
    }

    [Fact]
    public void ANewFileWithoutAWholeFormatDescriptionIsRemovedAndPulledAgain()
    {
        // No sync after the new file's first events: a crash right after they reached the file.
        var (upstream, sub) = CrashedAfter(u =>
        {
            u.Transaction();
            u.Rotate();
        });
        var second = sub.FilePath("mysql-bin.000002");
        File.WriteAllBytes(second, File.ReadAllBytes(second)[..40]);

        var resume = RelayRecovery.Recover(sub, GtidFlavor.MariaDb, NullLogger.Instance);

        Assert.Equal(new BinlogPosition("mysql-bin.000002", 4), resume.Position);
        Assert.False(File.Exists(second));
        Assert.Equal(new RelayActiveFile(sub, "mysql-bin.000001", upstream.Files["mysql-bin.000001"].Length), resume.Active);
    }

    [Fact]
    public void WithoutAMetaTheFilesAreReadFromTheirStartAndTheirGtidListGivesTheSet()
    {
        var (upstream, sub) = CrashedAfter(u =>
        {
            u.Transaction();
            u.Transaction();
        });
        Assert.False(File.Exists(sub.MetaPath));
        File.AppendAllText(sub.FilePath("mysql-bin.000001"), "torn"); // a partial event header

        var resume = RelayRecovery.Recover(sub, GtidFlavor.MariaDb, NullLogger.Instance);

        Assert.Equal(new BinlogPosition("mysql-bin.000001", upstream.Length), resume.Position);
        Assert.Equal("0-7-2", resume.Gtid?.ToString());
        Assert.Equal(upstream.Files["mysql-bin.000001"].ToArray(), File.ReadAllBytes(sub.FilePath("mysql-bin.000001")));
        Assert.Equal(2, new BinlogFileReader(sub.FilePath("mysql-bin.000001")).ReadEvents().OfType<Dm.Binlog.Events.XidEvent>().Count());
    }

    /// <summary>A relay that wrote what <paramref name="write"/> makes the upstream send, without a sync after it: a crash then.</summary>
    private (UpstreamStream Upstream, RelaySubDirectory Sub) CrashedAfter(Action<UpstreamStream> write)
    {
        var upstream = new UpstreamStream();
        write(upstream);
        var (_, sub, log) = Open();
        WriteUnsynced(sub, log, upstream.Take());
        return (upstream, sub);
    }
}
