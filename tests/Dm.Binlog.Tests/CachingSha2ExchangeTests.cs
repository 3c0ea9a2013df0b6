using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Dm.Binlog.Protocol;
using Dm.Binlog.Replication;
using static Dm.TestKit.MySqlPackets;

namespace Dm.Binlog.Tests;

/// <summary>
/// caching_sha2_password against a scripted server that speaks the exchange as MySQL documents it
/// (MySQL source: sql/auth/sha2_password.cc and the dev manual's "Caching_sha2_password information"):
/// scramble = SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce); AuthMoreData 0x03 = fast auth done,
/// 0x04 = full auth, where without TLS the client asks for the RSA key (0x02) and sends
/// RSA-OAEP(pw + NUL XOR nonce).
/// </summary>
public sealed class CachingSha2ExchangeTests
{
    private const string Password = "pä55-wörd";
    private static readonly byte[] Nonce = Encoding.ASCII.GetBytes("abcdefghijklmnopqrst");

    [Fact]
    public async Task FastPathSucceeds()
    {
        await RunAsync(Password, fullAuth: false);
    }

    [Fact]
    public async Task FullAuthenticationWithRsaPublicKey()
    {
        await RunAsync(Password, fullAuth: true, allowPublicKeyRetrieval: true);
    }

    [Fact]
    public async Task FullAuthenticationWithoutTlsDoesNotFetchTheKeyUnlessAsked()
    {
        // The default: the client neither asks for the server's key nor sends the password.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(Password, fullAuth: true));
        Assert.Contains("AllowPublicKeyRetrieval", error.Message);
    }

    [Fact]
    public async Task WrongPasswordGetsTheServerError()
    {
        var error = await Assert.ThrowsAsync<ServerErrorException>(() => RunAsync("wrong", fullAuth: false));
        Assert.Equal(1045, error.ErrorCode);
    }

    private static async Task RunAsync(string clientPassword, bool fullAuth, bool allowPublicKeyRetrieval = false)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var server = ServeAsync(listener, fullAuth, timeout.Token);
        var options = new BinlogClientOptions
        {
            Host = "127.0.0.1", Port = port, User = "repl", Password = clientPassword, Tls = TlsMode.Disabled,
            AllowPublicKeyRetrieval = allowPublicKeyRetrieval,
        };
        Exception? served;
        try
        {
            await using var connection = await ServerConnection.ConnectAsync(options, timeout.Token);
            Assert.Equal("8.0.36", connection.Handshake.ServerVersion);
        }
        finally
        {
            // When the client refuses, the server only sees the connection close (no key request, no password).
            served = await Record.ExceptionAsync(() => server);
        }
        if (served != null) throw served;
    }

    private static async Task ServeAsync(TcpListener listener, bool fullAuth, CancellationToken cancellationToken)
    {
        using var client = await listener.AcceptTcpClientAsync(cancellationToken);
        var stream = client.GetStream();
        var caps = (uint)(CapabilityFlags.LongPassword | CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection |
                          CapabilityFlags.PluginAuth | CapabilityFlags.PluginAuthLengthEncodedClientData | CapabilityFlags.Transactions);
        var greeting = new List<byte> { 10 };
        greeting.AddRange("8.0.36\0"u8.ToArray());
        greeting.AddRange(BitConverter.GetBytes(77u));
        greeting.AddRange(Nonce[..8]);
        greeting.Add(0);
        greeting.AddRange(BitConverter.GetBytes((ushort)caps));
        greeting.Add(255);
        greeting.AddRange([2, 0]);
        greeting.AddRange(BitConverter.GetBytes((ushort)(caps >> 16)));
        greeting.Add(21);
        greeting.AddRange(new byte[10]);
        greeting.AddRange(Nonce[8..]);
        greeting.Add(0);
        greeting.AddRange("caching_sha2_password\0"u8.ToArray());
        await WriteAsync(stream, 0, [.. greeting], cancellationToken);

        var (_, response) = await ReadAsync(stream, cancellationToken);
        var at = 32;
        var userEnd = Array.IndexOf(response, (byte)0, at);
        Assert.Equal("repl", Encoding.UTF8.GetString(response, at, userEnd - at));
        at = userEnd + 1;
        var scramble = response.AsSpan(at + 1, response[at]).ToArray();
        at += 1 + response[at];
        Assert.Equal("caching_sha2_password", Encoding.UTF8.GetString(response, at, Array.IndexOf(response, (byte)0, at) - at));

        // The server's cache holds SHA256(SHA256(pw)); the scramble proves knowledge of SHA256(pw).
        var stored = SHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(Password)));
        var mask = SHA256.HashData([.. stored, .. Nonce]);
        var candidate = scramble.Length == 32 ? scramble.Select((b, i) => (byte)(b ^ mask[i])).ToArray() : [];
        var fastOk = candidate.Length == 32 && SHA256.HashData(candidate).SequenceEqual(stored);
        if (!fastOk && !fullAuth)
        {
            await WriteAsync(stream, 2, [0xFF, 0x15, 0x04, (byte)'#', .. "28000Access denied"u8], cancellationToken);
            return;
        }
        if (!fullAuth)
        {
            await WriteAsync(stream, 2, [0x01, 0x03], cancellationToken);
            await WriteAsync(stream, 3, [0x00, 0, 0, 2, 0, 0, 0], cancellationToken);
            return;
        }
        await WriteAsync(stream, 2, [0x01, 0x04], cancellationToken);
        var (_, request) = await ReadAsync(stream, cancellationToken);
        Assert.Equal([0x02], request);
        using var rsa = RSA.Create(2048);
        await WriteAsync(stream, 4, [0x01, .. Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem())], cancellationToken);
        var (_, encrypted) = await ReadAsync(stream, cancellationToken);
        var plain = rsa.Decrypt(encrypted, RSAEncryptionPadding.OaepSHA1);
        for (var i = 0; i < plain.Length; i++) plain[i] ^= Nonce[i % Nonce.Length];
        Assert.Equal(Encoding.UTF8.GetBytes(Password + "\0"), plain);
        await WriteAsync(stream, 6, [0x00, 0, 0, 2, 0, 0, 0], cancellationToken);
    }
}
