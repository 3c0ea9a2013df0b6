namespace Dm.Binlog.Protocol;

/// <summary>Client/server capability bits of the MySQL protocol (Protocol::CapabilityFlags).</summary>
[Flags]
public enum CapabilityFlags : uint
{
    LongPassword = 1,
    FoundRows = 2,
    LongFlag = 4,
    ConnectWithDb = 8,
    Protocol41 = 0x200,
    Ssl = 0x800,
    Transactions = 0x2000,
    SecureConnection = 0x8000,
    MultiStatements = 0x10000,
    MultiResults = 0x20000,
    PluginAuth = 0x80000,
    ConnectAttributes = 0x100000,
    PluginAuthLengthEncodedClientData = 0x200000,
    DeprecateEof = 0x1000000,
}
