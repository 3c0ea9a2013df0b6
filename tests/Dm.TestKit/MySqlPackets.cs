namespace Dm.TestKit;

/// <summary>
/// MySQL protocol framing for scripted servers in tests: a packet is a 3-byte little-endian length, a sequence number,
/// then the payload.
/// </summary>
public static class MySqlPackets
{
    public static async Task WriteAsync(Stream stream, byte sequence, byte[] payload, CancellationToken cancellationToken)
    {
        byte[] header = [(byte)payload.Length, (byte)(payload.Length >> 8), (byte)(payload.Length >> 16), sequence];
        await stream.WriteAsync(header, cancellationToken);
        await stream.WriteAsync(payload, cancellationToken);
    }

    public static async Task<(byte Sequence, byte[] Payload)> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var payload = new byte[header[0] | header[1] << 8 | header[2] << 16];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return (header[3], payload);
    }
}
