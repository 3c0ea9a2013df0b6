using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.TestKit;
using Dm.Worker.Relay;

namespace Dm.Worker.Tests.Relay;

/// <summary>A relay test's own relay directory (removed after it), and a relay log in it with one sub-directory to write.</summary>
public abstract class RelayFilesTest : IDisposable
{
    protected RelayFilesTest(string kind) => Dir = ScratchDirectory.Create(kind);

    protected string Dir { get; }

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    /// <summary>The relay log under the test's directory, with the sub-directory of upstream server <paramref name="uuid"/> added.</summary>
    internal (RelayDirectory Directory, RelaySubDirectory Sub, RelayLog Log) Open(string uuid = "0-7")
    {
        var directory = RelayDirectory.Open(Dir);
        var sub = directory.Add(uuid);
        return (directory, sub, new RelayLog(directory, GtidFlavor.MariaDb));
    }

    /// <summary>Writes <paramref name="events"/> from the start of mysql-bin.000001 and flushes them, without the final sync (a crash after them).</summary>
    internal static RelayWriter WriteUnsynced(RelaySubDirectory sub, RelayLog log, IEnumerable<BinlogRawEvent> events)
    {
        var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null);
        foreach (var ev in events) writer.Write(ev);
        writer.Flush();
        return writer;
    }
}
