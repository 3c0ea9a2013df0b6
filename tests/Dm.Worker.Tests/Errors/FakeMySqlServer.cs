using System.Net;
using System.Net.Sockets;
using System.Text;
using MySqlConnector;
using static Dm.TestKit.MySqlPackets;

namespace Dm.Worker.Tests.Errors;

/// <summary>
/// A loopback socket that speaks just enough of the MySQL protocol for a client to connect, then answers each query
/// "ERROR n" with server error n and "CUT" with half a packet and a closed socket (anything else gets OK). It gives the
/// error policy's tests failures exactly as MySqlConnector and the binlog client build them, without a database server.
/// </summary>
internal sealed class FakeMySqlServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly Func<NetworkStream, CancellationToken, Task> _greet;

    /// <param name="greet">What a client meets on connecting (a handshake and queries by default).</param>
    private FakeMySqlServer(Func<NetworkStream, CancellationToken, Task>? greet = null)
    {
        _greet = greet ?? ServeAsync;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _serving = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>A server that answers queries (see the summary).</summary>
    public static FakeMySqlServer Answering() => new();

    /// <summary>A server that closes each connection at once, before its greeting.</summary>
    public static FakeMySqlServer Closing() => new((_, _) => Task.CompletedTask);

    /// <summary>A server that accepts connections and never says a word.</summary>
    public static FakeMySqlServer Silent() => new((_, ct) => Task.Delay(Timeout.Infinite, ct));

    /// <summary>A server that greets with an error packet, as a server out of connections (1040) does.</summary>
    public static FakeMySqlServer RefusingWith(MySqlErrorCode code) => new((stream, ct) => WriteAsync(stream, 0, ErrorPacket(code), ct));

    public string ConnectionString => $"Server=127.0.0.1;Port={Port};User=root;Pooling=false;SslMode=None";

    /// <summary>What MySqlConnector throws when a statement fails with server error <paramref name="code"/>.</summary>
    public static async Task<MySqlException> ServerErrorAsync(MySqlErrorCode code) =>
        Assert.IsType<MySqlException>(await FailAsync($"ERROR {(int)code}"), exactMatch: false);

    /// <summary>What MySqlConnector throws when the connection breaks in the middle of a result.</summary>
    public static Task<Exception> CutMidResultAsync() => FailAsync("CUT");

    private static async Task<Exception> FailAsync(string query)
    {
        await using var server = Answering();
        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(query, connection);
        return await Assert.ThrowsAnyAsync<Exception>(() => command.ExecuteNonQueryAsync());
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try { await _greet(client.GetStream(), _stop.Token); }
                        catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException) { }
                    }
                });
            }
        }
        catch (OperationCanceledException) { }
    }

    private static async Task ServeAsync(NetworkStream stream, CancellationToken ct)
    {
        await WriteAsync(stream, 0, Greeting(), ct);
        var (sequence, _) = await ReadAsync(stream, ct); // the handshake response: any user, any password
        await WriteAsync(stream, (byte)(sequence + 1), Ok, ct);
        while (true)
        {
            var (next, body) = await ReadAsync(stream, ct);
            var query = body.Length > 1 ? Encoding.UTF8.GetString(body, 1, body.Length - 1) : "";
            if (query == "CUT")
            {
                await stream.WriteAsync(new byte[] { 50, 0, 0, 1, 1, 2 }, ct); // a 50-byte packet, 2 bytes of it
                return;
            }
            var answer = query.StartsWith("ERROR ", StringComparison.Ordinal)
                ? ErrorPacket((MySqlErrorCode)int.Parse(query[6..], System.Globalization.CultureInfo.InvariantCulture))
                : Ok;
            await WriteAsync(stream, (byte)(next + 1), answer, ct);
        }
    }

    private static readonly byte[] Ok = [0, 0, 0, 2, 0, 0, 0];

    private static byte[] ErrorPacket(MySqlErrorCode code)
    {
        var packet = new List<byte> { 0xFF, (byte)(int)code, (byte)((int)code >> 8) };
        packet.AddRange(Encoding.ASCII.GetBytes("#HY000"));
        packet.AddRange(Encoding.UTF8.GetBytes($"fake server error {(int)code}"));
        return [.. packet];
    }

    /// <summary>Protocol 10 greeting of a MariaDB without TLS, offering mysql_native_password.</summary>
    private static byte[] Greeting()
    {
        const uint capabilities = 0x1 | 0x4 | 0x200 | 0x2000 | 0x8000 | 0x10000 | 0x20000 | 0x80000 | 0x200000;
        var packet = new List<byte> { 10 };
        packet.AddRange(Encoding.ASCII.GetBytes("5.5.5-10.11.6-MariaDB\0"));
        packet.AddRange(BitConverter.GetBytes(7));
        packet.AddRange(Encoding.ASCII.GetBytes("abcdefgh\0"));
        packet.AddRange(BitConverter.GetBytes((ushort)(capabilities & 0xFFFF)));
        packet.Add(45); // utf8mb4
        packet.AddRange(BitConverter.GetBytes((ushort)2)); // autocommit
        packet.AddRange(BitConverter.GetBytes((ushort)(capabilities >> 16)));
        packet.Add(21);
        packet.AddRange(new byte[10]);
        packet.AddRange(Encoding.ASCII.GetBytes("ijklmnopqrst\0"));
        packet.AddRange(Encoding.ASCII.GetBytes("mysql_native_password\0"));
        return [.. packet];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _serving; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
