namespace Dm.Binlog.Protocol;

/// <summary>The server's Protocol::HandshakeV10 greeting.</summary>
internal sealed record InitialHandshake(
    string ServerVersion,
    uint ConnectionId,
    byte[] AuthData,
    CapabilityFlags Capabilities,
    byte Collation,
    string AuthPluginName)
{
    public bool IsMariaDb => ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);

    public static InitialHandshake Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var protocol = reader.ReadByte();
        if (protocol != 10) throw new BinlogFormatException($"unsupported handshake protocol version {protocol}");
        var version = reader.ReadNullTerminatedString();
        var connectionId = reader.ReadUInt32();
        var scramble1 = reader.ReadBytes(8).ToArray();
        reader.ReadByte();
        uint caps = reader.ReadUInt16();
        byte collation = 0;
        var authDataLength = 0;
        var scramble2 = Array.Empty<byte>();
        var plugin = "mysql_native_password";
        if (!reader.IsAtEnd)
        {
            collation = reader.ReadByte();
            reader.ReadUInt16(); // status flags
            caps |= (uint)reader.ReadUInt16() << 16;
            authDataLength = reader.ReadByte();
            reader.Skip(10); // reserved (MariaDB keeps its extended capabilities in the last 4)
            if ((caps & (uint)CapabilityFlags.SecureConnection) != 0)
            {
                var length = Math.Max(13, authDataLength - 8);
                scramble2 = reader.ReadBytes(Math.Min(length, reader.Remaining)).ToArray();
                // The second part ends with a NUL that is not part of the scramble.
                if (scramble2.Length > 0 && scramble2[^1] == 0) scramble2 = scramble2[..^1];
            }
            if ((caps & (uint)CapabilityFlags.PluginAuth) != 0 && !reader.IsAtEnd)
            {
                var rest = reader.ReadToEnd();
                var nul = rest.IndexOf((byte)0);
                plugin = System.Text.Encoding.UTF8.GetString(nul >= 0 ? rest[..nul] : rest);
            }
        }
        return new InitialHandshake(version, connectionId, [.. scramble1, .. scramble2], (CapabilityFlags)caps, collation, plugin);
    }
}
