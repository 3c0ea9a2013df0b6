namespace Dm.Binlog.Replication;

/// <summary>A binlog file name and a byte offset in it (the position of the next event to read).</summary>
public readonly record struct BinlogPosition(string FileName, long Position)
{
    public override string ToString() => $"{FileName}:{Position}";
}
