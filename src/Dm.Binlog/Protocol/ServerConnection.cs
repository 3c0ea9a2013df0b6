using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Dm.Binlog.Replication;

namespace Dm.Binlog.Protocol;

/// <summary>
/// One authenticated protocol connection: handshake, optional TLS, the authentication plugins
/// (mysql_native_password, caching_sha2_password, client_ed25519, mysql_clear_password), text queries
/// and raw command/packet access for the replication commands.
/// </summary>
internal sealed class ServerConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream = Stream.Null;
    private readonly PacketStream _packets = new(Stream.Null);

    private ServerConnection(TcpClient tcp) => _tcp = tcp;

    public InitialHandshake Handshake { get; private set; } = null!;
    public bool IsTls => _stream is SslStream;
    public bool IsMariaDb => Handshake.IsMariaDb;

    public static async Task<ServerConnection> ConnectAsync(BinlogClientOptions options, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true, ReceiveBufferSize = 1 << 20 };
        var connection = new ServerConnection(tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await tcp.ConnectAsync(options.Host, options.Port, timeout.Token);
            connection._stream = tcp.GetStream();
            connection._packets.Replace(connection._stream);
            await connection.HandshakeAsync(options, timeout.Token);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw new TimeoutException($"connecting to {options.Host}:{options.Port} took longer than {options.ConnectTimeout}");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task HandshakeAsync(BinlogClientOptions options, CancellationToken cancellationToken)
    {
        var greeting = await _packets.ReadPayloadAsync(cancellationToken);
        if (greeting.Span[0] == 0xFF) throw ServerErrorException.Parse(greeting.Span);
        Handshake = InitialHandshake.Parse(greeting.Span);

        var serverTls = (Handshake.Capabilities & CapabilityFlags.Ssl) != 0;
        if (options.Tls == TlsMode.Required && !serverTls)
            throw new InvalidOperationException($"TLS is required but the server at {options.Host}:{options.Port} does not offer it");
        var useTls = serverTls && options.Tls != TlsMode.Disabled;

        var caps = CapabilityFlags.LongPassword | CapabilityFlags.LongFlag | CapabilityFlags.Protocol41 |
                   CapabilityFlags.Transactions | CapabilityFlags.SecureConnection | CapabilityFlags.MultiResults |
                   CapabilityFlags.PluginAuth | CapabilityFlags.PluginAuthLengthEncodedClientData;
        if (useTls) caps |= CapabilityFlags.Ssl;
        caps &= Handshake.Capabilities | CapabilityFlags.Ssl;

        if (useTls)
        {
            // SSLRequest: the first 32 bytes of the handshake response, then the TLS handshake.
            var sslRequest = new PayloadWriter().WriteUInt32((uint)caps).WriteUInt32(1 << 24).WriteByte(45).WriteZeros(23);
            await _packets.WritePayloadAsync(sslRequest.Written, cancellationToken);
            var ssl = new SslStream(_stream, leaveInnerStreamOpen: false,
                options.ServerCertificateValidation ?? ((_, _, _, _) => true));
            var client = options.ClientCertificate;
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = options.Host,
                ClientCertificates = client == null ? null : [client],
                LocalCertificateSelectionCallback = client == null ? null : (_, _, _, _, _) => client,
            }, cancellationToken);
            _stream = ssl;
            _packets.Replace(ssl);
        }

        var plugin = Handshake.AuthPluginName;
        var scramble = Handshake.AuthData;
        var authResponse = InitialAuthResponse(plugin, options.Password, scramble);
        var response = new PayloadWriter()
            .WriteUInt32((uint)caps)
            .WriteUInt32(1 << 24)
            .WriteByte(45) // utf8mb4_general_ci
            .WriteZeros(23)
            .WriteNullTerminatedString(options.User)
            .WriteLengthEncodedBytes(authResponse)
            .WriteNullTerminatedString(plugin);
        await _packets.WritePayloadAsync(response.Written, cancellationToken);
        await AuthenticateAsync(options, plugin, scramble, cancellationToken);
    }

    private byte[] InitialAuthResponse(string plugin, string password, byte[] scramble) => plugin switch
    {
        "mysql_native_password" => PasswordScrambler.Native(password, scramble),
        "caching_sha2_password" => PasswordScrambler.CachingSha2(password, scramble),
        "mysql_clear_password" => IsTls ? Encoding.UTF8.GetBytes(password + "\0")
            : throw new InvalidOperationException("mysql_clear_password needs TLS; refusing to send the password in clear"),
        // client_ed25519 signs a nonce that only comes with the auth switch; answer empty first.
        "client_ed25519" => [],
        _ => throw new NotSupportedException($"authentication plugin '{plugin}' is not supported"),
    };

    /// <summary>Runs the rest of the authentication exchange until OK (or ERR).</summary>
    private async Task AuthenticateAsync(BinlogClientOptions options, string plugin, byte[] scramble, CancellationToken cancellationToken)
    {
        while (true)
        {
            var packet = await _packets.ReadPayloadAsync(cancellationToken);
            var span = packet.Span;
            switch (span[0])
            {
                case 0x00:
                    return;
                case 0xFF:
                    throw ServerErrorException.Parse(span);
                case 0xFE:
                {
                    // AuthSwitchRequest: plugin name, then that plugin's scramble/nonce.
                    var reader = new PayloadReader(span[1..]);
                    plugin = reader.ReadNullTerminatedString();
                    var data = reader.ReadToEnd();
                    scramble = (data.Length > 0 && data[^1] == 0 ? data[..^1] : data).ToArray();
                    var answer = plugin == "client_ed25519"
                        ? Ed25519Signer.Sign(scramble, Encoding.UTF8.GetBytes(options.Password))
                        : InitialAuthResponse(plugin, options.Password, scramble);
                    await _packets.WritePayloadAsync(answer, cancellationToken);
                    break;
                }
                case 0x01 when plugin == "caching_sha2_password":
                    await CachingSha2MoreDataAsync(options, scramble, span[1..].ToArray(), cancellationToken);
                    break;
                default:
                    throw new BinlogFormatException($"unexpected packet 0x{span[0]:X2} during '{plugin}' authentication");
            }
        }
    }

    /// <summary>
    /// caching_sha2_password AuthMoreData: 0x03 = fast auth succeeded (OK follows), 0x04 = full
    /// authentication: the password in clear over TLS, else RSA-encrypted with the server's public key.
    /// </summary>
    private async Task CachingSha2MoreDataAsync(BinlogClientOptions options, byte[] scramble, byte[] data, CancellationToken cancellationToken)
    {
        if (data.Length == 1 && data[0] == 0x03) return;
        if (data.Length != 1 || data[0] != 0x04)
            throw new BinlogFormatException($"unexpected caching_sha2_password data of {data.Length} bytes");
        if (IsTls)
        {
            await _packets.WritePayloadAsync(Encoding.UTF8.GetBytes(options.Password + "\0"), cancellationToken);
            return;
        }
        if (!options.AllowPublicKeyRetrieval)
            throw new InvalidOperationException("caching_sha2_password full authentication needs TLS or AllowPublicKeyRetrieval");
        await _packets.WritePayloadAsync(new byte[] { 0x02 }, cancellationToken);
        var keyPacket = await _packets.ReadPayloadAsync(cancellationToken);
        if (keyPacket.Span[0] == 0xFF) throw ServerErrorException.Parse(keyPacket.Span);
        if (keyPacket.Span[0] != 0x01) throw new BinlogFormatException("expected the server's RSA public key");
        var pem = Encoding.ASCII.GetString(keyPacket.Span[1..]);
        await _packets.WritePayloadAsync(PasswordScrambler.RsaEncrypt(options.Password, scramble, pem), cancellationToken);
    }

    /// <summary>Runs a statement; returns the rows of its result set as text (empty for statements without one).</summary>
    public async Task<List<string?[]>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        var command = new PayloadWriter().WriteByte(0x03).WriteString(sql);
        await SendCommandAsync(command.Written, cancellationToken);
        var rows = new List<string?[]>();
        var first = await _packets.ReadPayloadAsync(cancellationToken);
        if (first.Span[0] == 0xFF) throw ServerErrorException.Parse(first.Span);
        if (first.Span[0] == 0x00) return rows;
        var columnCount = (int)new PayloadReader(first.Span).ReadLengthEncodedInteger();
        for (var i = 0; i < columnCount; i++) await _packets.ReadPayloadAsync(cancellationToken);
        await _packets.ReadPayloadAsync(cancellationToken); // EOF after the column definitions
        while (true)
        {
            var packet = await _packets.ReadPayloadAsync(cancellationToken);
            var span = packet.Span;
            if (span[0] == 0xFE && span.Length < 9) return rows;
            if (span[0] == 0xFF) throw ServerErrorException.Parse(span);
            var reader = new PayloadReader(span);
            var row = new string?[columnCount];
            for (var i = 0; i < columnCount; i++)
            {
                if (reader.PeekByte() == 0xFB) reader.ReadByte();
                else row[i] = reader.ReadLengthEncodedString();
            }
            rows.Add(row);
        }
    }

    public async Task<string?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(sql, cancellationToken);
        return rows.Count > 0 ? rows[0][0] : null;
    }

    /// <summary>Sends a command packet (sequence id restarts at 0).</summary>
    public ValueTask SendCommandAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _packets.SequenceId = 0;
        return _packets.WritePayloadAsync(payload, cancellationToken);
    }

    /// <summary>Reads one OK packet, throwing the server's error when it sent ERR.</summary>
    public async Task ReadOkAsync(CancellationToken cancellationToken)
    {
        var packet = await _packets.ReadPayloadAsync(cancellationToken);
        if (packet.Span[0] == 0xFF) throw ServerErrorException.Parse(packet.Span);
        if (packet.Span[0] != 0x00) throw new BinlogFormatException($"expected OK, got packet 0x{packet.Span[0]:X2}");
    }

    public ValueTask<ReadOnlyMemory<byte>> ReadPacketAsync(CancellationToken cancellationToken) => _packets.ReadPayloadAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync();
        }
        catch (IOException)
        {
        }
        _tcp.Dispose();
    }
}
