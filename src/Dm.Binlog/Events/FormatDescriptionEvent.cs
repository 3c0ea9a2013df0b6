using System.Text;
using Dm.Binlog.Protocol;

namespace Dm.Binlog.Events;

/// <summary>FORMAT_DESCRIPTION_EVENT: binlog version, server version, per-type post-header lengths and the checksum algorithm.</summary>
public sealed class FormatDescriptionEvent : BinlogEvent
{
    public ushort BinlogVersion { get; init; }
    public string ServerVersion { get; init; } = "";
    public uint CreateTimestamp { get; init; }
    public byte HeaderLength { get; init; }
    public byte[] PostHeaderLengths { get; init; } = [];
    public ChecksumAlgorithm ChecksumAlgorithm { get; init; }

    public bool IsMariaDb => ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);

    /// <summary>Post-header length of an event type per this description (0 when not listed).</summary>
    public int PostHeaderLength(BinlogEventType type)
    {
        var i = (int)type - 1;
        return i >= 0 && i < PostHeaderLengths.Length ? PostHeaderLengths[i] : 0;
    }

    /// <summary>A description for a MySQL 5.x/8.0 or MariaDB 10.x server when none was read yet (binlog v4).</summary>
    public static FormatDescriptionEvent Default { get; } = Parse(BuildDefaultBody(), hasChecksumField: false);

    /// <summary>Parses the event body (after the common header, including the algorithm byte and CRC when present).</summary>
    internal static FormatDescriptionEvent Parse(ReadOnlySpan<byte> body, bool? hasChecksumField = null)
    {
        var reader = new PayloadReader(body);
        var version = reader.ReadUInt16();
        var serverVersionBytes = reader.ReadBytes(50);
        var nul = serverVersionBytes.IndexOf((byte)0);
        var serverVersion = Encoding.ASCII.GetString(nul >= 0 ? serverVersionBytes[..nul] : serverVersionBytes);
        var created = reader.ReadUInt32();
        var headerLength = reader.ReadByte();
        var withChecksum = hasChecksumField ?? SupportsChecksum(serverVersion);
        var rest = reader.ReadToEnd();
        var algorithm = ChecksumAlgorithm.Off;
        if (withChecksum)
        {
            if (rest.Length < 5) throw new BinlogFormatException("FORMAT_DESCRIPTION too short for its checksum algorithm");
            algorithm = (ChecksumAlgorithm)rest[^5];
            rest = rest[..^5];
        }
        return new FormatDescriptionEvent
        {
            BinlogVersion = version,
            ServerVersion = serverVersion,
            CreateTimestamp = created,
            HeaderLength = headerLength,
            PostHeaderLengths = rest.ToArray(),
            ChecksumAlgorithm = algorithm,
        };
    }

    /// <summary>Checksums (and so the algorithm byte in this event) exist from MySQL 5.6.1 and MariaDB 5.3.</summary>
    internal static bool SupportsChecksum(string serverVersion)
    {
        var numbers = new int[3];
        var part = 0;
        foreach (var c in serverVersion)
        {
            if (char.IsAsciiDigit(c)) numbers[part] = numbers[part] * 10 + (c - '0');
            else if (c == '.' && part < 2) part++;
            else break;
        }
        var v = numbers[0] * 10000 + numbers[1] * 100 + numbers[2];
        var minimum = serverVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? 50300 : 50601;
        return v >= minimum;
    }

    private static byte[] BuildDefaultBody()
    {
        var body = new byte[2 + 50 + 4 + 1 + 171];
        body[0] = 4;
        Encoding.ASCII.GetBytes("5.7.0").CopyTo(body, 2);
        body[56] = BinlogEventHeader.Size;
        void Set(BinlogEventType t, byte n) => body[57 + (int)t - 1] = n;
        Set(BinlogEventType.Query, 13);
        Set(BinlogEventType.Rotate, 8);
        Set(BinlogEventType.FormatDescription, 84);
        Set(BinlogEventType.TableMap, 8);
        foreach (var t in new[] { BinlogEventType.WriteRowsV1, BinlogEventType.UpdateRowsV1, BinlogEventType.DeleteRowsV1 }) Set(t, 8);
        foreach (var t in new[] { BinlogEventType.WriteRowsV2, BinlogEventType.UpdateRowsV2, BinlogEventType.DeleteRowsV2, BinlogEventType.PartialUpdateRows }) Set(t, 10);
        Set(BinlogEventType.Gtid, 42);
        Set(BinlogEventType.AnonymousGtid, 42);
        Set(BinlogEventType.MariaDbAnnotateRows, 0);
        Set(BinlogEventType.MariaDbBinlogCheckpoint, 4);
        Set(BinlogEventType.MariaDbGtid, 19);
        Set(BinlogEventType.MariaDbGtidList, 4);
        Set(BinlogEventType.MariaDbQueryCompressed, 13);
        foreach (var t in new[] { BinlogEventType.MariaDbWriteRowsCompressedV1, BinlogEventType.MariaDbUpdateRowsCompressedV1, BinlogEventType.MariaDbDeleteRowsCompressedV1 }) Set(t, 8);
        foreach (var t in new[] { BinlogEventType.MariaDbWriteRowsCompressed, BinlogEventType.MariaDbUpdateRowsCompressed, BinlogEventType.MariaDbDeleteRowsCompressed }) Set(t, 10);
        return body;
    }
}
