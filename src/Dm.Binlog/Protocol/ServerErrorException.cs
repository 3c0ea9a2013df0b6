namespace Dm.Binlog.Protocol;

/// <summary>An ERR packet from the server: error code, SQL state and message.</summary>
public sealed class ServerErrorException(int errorCode, string sqlState, string serverMessage)
    : Exception($"server error {errorCode} ({sqlState}): {serverMessage}")
{
    public int ErrorCode { get; } = errorCode;
    public string SqlState { get; } = sqlState;
    public string ServerMessage { get; } = serverMessage;

    /// <summary>Parses an ERR packet (first byte 0xFF).</summary>
    internal static ServerErrorException Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        reader.ReadByte();
        var code = reader.ReadUInt16();
        var state = "HY000";
        if (!reader.IsAtEnd && reader.PeekByte() == (byte)'#')
        {
            reader.ReadByte();
            state = reader.ReadString(Math.Min(5, reader.Remaining));
        }
        return new ServerErrorException(code, state, System.Text.Encoding.UTF8.GetString(reader.ReadToEnd()));
    }
}
