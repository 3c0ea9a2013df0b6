using System.Buffers.Binary;
using System.Text;
using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;

namespace Dm.Worker.Tests.Relay;

/// <summary>
/// What a MariaDB upstream sends a replica, built without a server: the fake ROTATE and FORMAT_DESCRIPTION that start a
/// dump, then each file's events (FORMAT_DESCRIPTION, GTID_LIST, transactions, a ROTATE at its end) with the offsets the
/// upstream's file has them, CRC32 on every event. <see cref="Files"/> holds the upstream's files byte for byte, to compare
/// a relay copy with.
/// </summary>
internal sealed class UpstreamStream
{
    private const uint ServerId = 7;
    private readonly BinlogEventDecoder _decoder = new() { Checksum = ChecksumAlgorithm.Crc32 };
    private readonly List<BinlogRawEvent> _sent = [];
    private MemoryStream _file = new();
    private ulong _sequence;

    public UpstreamStream(string baseName = "mysql-bin", int firstFile = 1)
    {
        BaseName = baseName;
        FileNumber = firstFile;
        Files[FileName] = _file;
        SendFake(FakeRotate(FileName, 4));
        Append(FormatDescription());
        Append(GtidList());
    }

    public string BaseName { get; }
    public int FileNumber { get; private set; }
    public string FileName => $"{BaseName}.{FileNumber:D6}";

    /// <summary>The upstream's files as it wrote them.</summary>
    public Dictionary<string, MemoryStream> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>The events sent so far (taken by <see cref="Take"/>).</summary>
    public IReadOnlyList<BinlogRawEvent> Take()
    {
        var sent = _sent.ToList();
        _sent.Clear();
        return sent;
    }

    /// <summary>The GTIDs of every transaction written so far (domain 0, this server).</summary>
    public MariaDbGtidList Executed => _sequence == 0 ? new MariaDbGtidList() : new MariaDbGtidList([new MariaDbGtid(0, ServerId, _sequence)]);

    /// <summary>A transaction: GTID, BEGIN, <paramref name="statements"/> statements (the first <paramref name="padding"/> bytes long), XID.</summary>
    public void Transaction(int statements = 2, int padding = 0)
    {
        _sequence++;
        Append(Gtid(_sequence, standalone: false));
        Append(Query("BEGIN"));
        for (var i = 0; i < statements; i++)
            Append(Query($"INSERT INTO t VALUES ({_sequence}, {i}) /* {new string('x', i == 0 ? padding : 0)} */"));
        Append(Event(BinlogEventType.Xid, BitConverter.GetBytes(_sequence)));
    }

    /// <summary>A DDL statement: its own group without BEGIN.</summary>
    public void Ddl(string statement = "CREATE TABLE t (a INT)")
    {
        _sequence++;
        Append(Gtid(_sequence, standalone: true));
        Append(Query(statement));
    }

    /// <summary>A heartbeat (never in a file).</summary>
    public void Heartbeat() => SendFake(Event(BinlogEventType.Heartbeat, Encoding.UTF8.GetBytes(FileName), artificial: true, position: 0));

    /// <summary>The ROTATE that ends the file, then the next file's start, as a server sends them.</summary>
    public void Rotate()
    {
        var next = $"{BaseName}.{FileNumber + 1:D6}";
        Append(RotateEvent(next, 4, artificial: false));
        FileNumber++;
        _file = new MemoryStream();
        Files[FileName] = _file;
        Append(FormatDescription());
        Append(GtidList());
    }

    /// <summary>The start of a dump resumed at <paramref name="position"/> of the current file: fake ROTATE, then the FORMAT_DESCRIPTION again (position 0).</summary>
    public void ResumeAt(long position)
    {
        SendFake(FakeRotate(FileName, position));
        SendFake(WithPosition(FormatDescription(), 0));
    }

    /// <summary>
    /// What the upstream sends a replica that asks for <paramref name="file"/> from <paramref name="position"/> (after
    /// everything above was written): fake ROTATE, the FORMAT_DESCRIPTION again (at 4: as in the file, later: position 0),
    /// then the file's events from there and every later file's.
    /// </summary>
    public IReadOnlyList<BinlogRawEvent> Replay(string file, long position)
    {
        var decoder = new BinlogEventDecoder { Checksum = ChecksumAlgorithm.Crc32 };
        var events = new List<BinlogRawEvent>();
        void Add(byte[] bytes, BinlogPosition resume)
        {
            var header = BinlogEventHeader.Read(bytes);
            var decoded = BinlogRawEvent.IsDecoded(header.EventType) ? decoder.Decode(bytes) : null;
            events.Add(new BinlogRawEvent(bytes, header, decoded, decoded is RotateEvent r ? new BinlogPosition(r.NextFileName, r.Position) : resume));
        }
        var first = true;
        foreach (var name in Files.Keys.Where(f => string.CompareOrdinal(f, file) >= 0).Order(StringComparer.Ordinal))
        {
            var bytes = Files[name].ToArray();
            var from = first ? position : 4;
            var fdeSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4 + 9));
            if (first)
            {
                Add(FakeRotate(name, from), new BinlogPosition(name, from));
                if (from > 4) Add(WithPosition(bytes.AsSpan(4, fdeSize).ToArray(), 0), new BinlogPosition(name, from));
            }
            first = false;
            for (var at = (int)from; at < bytes.Length;)
            {
                var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 9));
                Add(bytes.AsSpan(at, size).ToArray(), new BinlogPosition(name, at + size));
                at += size;
            }
        }
        return events;
    }

    /// <summary>The current length of the current file.</summary>
    public long Length => _file.Length;

    private void Append(byte[] bytes)
    {
        var at = _file.Length == 0 ? 4 : _file.Length;
        if (_file.Length == 0) _file.Write([0xFE, 0x62, 0x69, 0x6E]);
        var withPosition = WithPosition(bytes, (uint)(at + bytes.Length));
        _file.Write(withPosition);
        Send(withPosition, new BinlogPosition(FileName, at + bytes.Length));
    }

    private void SendFake(byte[] bytes) => Send(bytes, new BinlogPosition(FileName, _file.Length == 0 ? 4 : _file.Length));

    private void Send(byte[] bytes, BinlogPosition resume)
    {
        var header = BinlogEventHeader.Read(bytes);
        var decoded = BinlogRawEvent.IsDecoded(header.EventType) ? _decoder.Decode(bytes) : null;
        _sent.Add(new BinlogRawEvent(bytes, header, decoded, decoded is RotateEvent r ? new BinlogPosition(r.NextFileName, r.Position) : resume));
    }

    private static byte[] FormatDescription()
    {
        var body = new List<byte> { 4, 0 };
        var version = new byte[50];
        Encoding.ASCII.GetBytes("10.11.6-MariaDB-log").CopyTo(version, 0);
        body.AddRange(version);
        body.AddRange(BitConverter.GetBytes(1_700_000_000u));
        body.Add(19);
        body.AddRange(FormatDescriptionEvent.Default.PostHeaderLengths);
        body.Add((byte)ChecksumAlgorithm.Crc32);
        return Event(BinlogEventType.FormatDescription, [.. body]);
    }

    private static byte[] GtidList() => Event(BinlogEventType.MariaDbGtidList, BitConverter.GetBytes(0u));

    private static byte[] Gtid(ulong sequence, bool standalone) =>
        Event(BinlogEventType.MariaDbGtid, [.. BitConverter.GetBytes(sequence), .. BitConverter.GetBytes(0u), (byte)(standalone ? 1 : 0), 0, 0, 0, 0, 0, 0]);

    private static byte[] Query(string text)
    {
        var db = "shop"u8.ToArray();
        return Event(BinlogEventType.Query, [.. BitConverter.GetBytes(1u), .. BitConverter.GetBytes(0u), (byte)db.Length, 0, 0, 0, 0, .. db, 0,
            .. Encoding.UTF8.GetBytes(text)]);
    }

    private static byte[] RotateEvent(string next, long position, bool artificial) =>
        Event(BinlogEventType.Rotate, [.. BitConverter.GetBytes((ulong)position), .. Encoding.UTF8.GetBytes(next)], artificial);

    private static byte[] FakeRotate(string file, long position) => WithPosition(RotateEvent(file, position, artificial: true), 0);

    /// <summary>A whole event: header (log_pos filled in later), body, CRC32.</summary>
    private static byte[] Event(BinlogEventType type, byte[] body, bool artificial = false, uint position = 0)
    {
        var size = 19 + body.Length + 4;
        var bytes = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, artificial ? 0 : 1_700_000_000u);
        bytes[4] = (byte)type;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(5), ServerId);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(9), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(13), position);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(17), (ushort)(artificial ? 0x20 : 0));
        body.CopyTo(bytes, 19);
        return Checksummed(bytes);
    }

    private static byte[] WithPosition(byte[] bytes, uint position)
    {
        var copy = bytes.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(13), position);
        return Checksummed(copy);
    }

    private static byte[] Checksummed(byte[] bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }
}
