using Dm.Binlog.Events;
using Dm.Binlog.Files;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Worker.Relay;

namespace Dm.Worker.Tests.Relay;

/// <summary>
/// The relay writer without a server: DM's layout (sub-directory, index, relay.meta), files equal byte for byte to the
/// upstream's and read back by the binlog file reader, a dump resumed inside a file, the meta never ahead of the data on
/// disk, and a full disk that leaves the file at its last whole event.
/// </summary>
public sealed class RelayWriterTests() : RelayFilesTest("relaywriter")
{
    [Fact]
    public void FilesAreTheUpstreamsByteForByteInDmsLayout()
    {
        var upstream = new UpstreamStream();
        upstream.Transaction();
        upstream.Ddl();
        upstream.Transaction(statements: 3, padding: 400_000); // an event larger than the writer's buffer
        upstream.Heartbeat();
        upstream.Rotate();
        upstream.Transaction();
        var (directory, sub, log) = Open();

        using (var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null))
            foreach (var ev in upstream.Take()) writer.Write(ev);

        Assert.Equal("0-7.000001\n", File.ReadAllText(Path.Combine(Dir, "server-uuid.index")));
        Assert.Equal(["mysql-bin.000001", "mysql-bin.000002"], sub.BinlogFiles());
        foreach (var (name, bytes) in upstream.Files)
            Assert.Equal(bytes.ToArray(), File.ReadAllBytes(sub.FilePath(name)));
        // Our own reader takes the copies as binlog files: every event decodes, the first file ends with its ROTATE.
        var first = new BinlogFileReader(sub.FilePath("mysql-bin.000001")).ReadEvents().ToList();
        Assert.IsType<FormatDescriptionEvent>(first[0]);
        Assert.Equal(new BinlogPosition("mysql-bin.000002", 4), Assert.IsType<RotateEvent>(first[^1]).ResumePosition);
        Assert.Equal(2, first.OfType<XidEvent>().Count());
        var second = new BinlogFileReader(sub.FilePath("mysql-bin.000002")).ReadEvents().ToList();
        Assert.Equal(upstream.Length, second[^1].ResumePosition.Position);

        var meta = RelayMeta.Read(sub.MetaPath, GtidFlavor.MariaDb)!;
        Assert.Equal(new BinlogPosition("mysql-bin.000002", upstream.Length), meta.Position);
        Assert.Equal("0-7-4", meta.Gtid?.ToString());
        Assert.Equal(new RelayActiveFile(sub, "mysql-bin.000002", upstream.Length), log.Active);
        Assert.Single(Directory.GetDirectories(Dir));
    }

    [Fact]
    public void ADumpResumedInsideAFileContinuesTheSameFile()
    {
        var upstream = new UpstreamStream();
        upstream.Transaction();
        var (_, sub, log) = Open();
        using (var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null))
            foreach (var ev in upstream.Take()) writer.Write(ev);
        var meta = RelayMeta.Read(sub.MetaPath, GtidFlavor.MariaDb)!;
        Assert.Equal(upstream.Length, meta.Position.Position);

        // Reconnected at the meta's position: fake ROTATE and a FORMAT_DESCRIPTION of position 0, then the new events.
        upstream.ResumeAt(meta.Position.Position);
        upstream.Transaction();
        upstream.Ddl();
        using (var writer = new RelayWriter(sub, log, meta.Position, meta.Gtid))
            foreach (var ev in upstream.Take()) writer.Write(ev);

        Assert.Equal(upstream.Files["mysql-bin.000001"].ToArray(), File.ReadAllBytes(sub.FilePath("mysql-bin.000001")));
        Assert.Equal("0-7-3", RelayMeta.Read(sub.MetaPath, GtidFlavor.MariaDb)!.Gtid?.ToString());
    }

    [Fact]
    public void AnEventThatDoesNotStartWhereTheFileEndsIsRefused()
    {
        var upstream = new UpstreamStream();
        upstream.Transaction();
        var events = upstream.Take();
        var (_, sub, log) = Open();
        using var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null);
        foreach (var ev in events.Take(4)) writer.Write(ev);
        var error = Assert.Throws<DmException>(() => writer.Write(events[5])); // one event left out
        Assert.Equal(DmErrors.ErrRelayWriterLatestPosGTFileSize.Code, error.Code);
    }

    [Fact]
    public void TheMetaIsNeverAheadOfTheDataOnDisk()
    {
        var upstream = new UpstreamStream();
        for (var i = 0; i < 5; i++)
        {
            upstream.Transaction(statements: i + 1);
            upstream.Ddl();
            if (i % 2 == 1) upstream.Rotate();
        }
        var (_, sub, log) = Open();
        var durable = new Dictionary<string, long>();
        using var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null,
            path => new RecordingFileStream(path, length => durable[Path.GetFileName(path)] = length));
        var checks = 0;
        foreach (var ev in upstream.Take())
        {
            writer.Write(ev);
            writer.Sync();
            if (RelayMeta.Read(sub.MetaPath, GtidFlavor.MariaDb) is not { } meta) continue;
            checks++;
            // The meta's file is durable up to its position; a meta at the start of the next file means the one before is whole on disk.
            if (meta.Position.Position > 4)
                Assert.True(durable.GetValueOrDefault(meta.Position.FileName) >= meta.Position.Position,
                    $"meta {meta.Position} ahead of the durable length {durable.GetValueOrDefault(meta.Position.FileName)}");
            foreach (var earlier in sub.BinlogFiles().Where(f => string.CompareOrdinal(f, meta.Position.FileName) < 0))
                Assert.Equal(new FileInfo(sub.FilePath(earlier)).Length, durable[earlier]);
        }
        Assert.True(checks > 20);
    }

    [Fact]
    public void AFullDiskLeavesTheFileAtItsLastWholeEventAndTheWriterRefusesMore()
    {
        var upstream = new UpstreamStream();
        for (var i = 0; i < 20; i++) upstream.Transaction(statements: 3, padding: 50);
        var (_, sub, log) = Open();
        var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null, path => new QuotaFileStream(path, 3000));
        DmException? error = null;
        foreach (var ev in upstream.Take())
        {
            try
            {
                writer.Write(ev);
                writer.Flush();
            }
            catch (DmException e)
            {
                error = e;
                break;
            }
        }
        Assert.NotNull(error);
        Assert.Equal(DmErrors.ErrRelayWriterFileOperate.Code, error.Code);
        Assert.Contains("no space left", error.Message);
        Assert.Contains(sub.FilePath("mysql-bin.000001"), error.Message);
        Assert.Throws<DmException>(() => writer.Write(upstream.Replay("mysql-bin.000001", 4)[^1]));
        writer.Dispose();
        // What is on disk is whole events, exactly what readers were shown.
        var length = new FileInfo(sub.FilePath("mysql-bin.000001")).Length;
        Assert.Equal(log.Active!.Length, length);
        var events = new BinlogFileReader(sub.FilePath("mysql-bin.000001")).ReadEvents().ToList();
        Assert.Equal(length, events[^1].ResumePosition.Position);
        Assert.Equal(upstream.Files["mysql-bin.000001"].ToArray()[..(int)length], File.ReadAllBytes(sub.FilePath("mysql-bin.000001")));
    }

    /// <summary>A relay file that reports the length it had each time it was flushed to disk.</summary>
    private sealed class RecordingFileStream(string path, Action<long> durable)
        : FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1)
    {
        public override void Flush(bool flushToDisk)
        {
            base.Flush(flushToDisk);
            if (flushToDisk) durable(Length);
        }
    }
}

/// <summary>
/// A file on a device with <paramref name="quota"/> bytes (read at each write, so a test can free space): a write beyond it
/// puts what fits and fails as a full disk does (ENOSPC).
/// </summary>
internal sealed class QuotaFileStream(string path, Func<long> quota)
    : FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1)
{
    public QuotaFileStream(string path, long quota) : this(path, () => quota)
    {
    }

    // A derived FileStream's span writes come here too (through Stream's array path).
    public override void Write(byte[] buffer, int offset, int count)
    {
        var room = Math.Max(0, quota() - Position);
        if (count <= room)
        {
            base.Write(buffer, offset, count);
            return;
        }
        base.Write(buffer, offset, (int)room);
        throw new IOException("No space left on device", 28);
    }
}
