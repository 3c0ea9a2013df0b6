namespace Dm.Binlog.Events;

/// <summary>binlog_checksum values as written in FORMAT_DESCRIPTION.</summary>
public enum ChecksumAlgorithm : byte
{
    Off = 0,
    Crc32 = 1,
    Undefined = 255,
}
