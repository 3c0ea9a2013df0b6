using System.Net;
using System.Net.Sockets;

namespace Dm.Worker.Tests;

/// <summary>
/// A loopback TCP relay in front of a real server. <see cref="CutAll"/> closes every relayed connection at once,
/// wherever the bytes are — mid-result-set or between statements — which is what a network cut or a dying
/// server does to the client and what KILL cannot reproduce deterministically.
/// </summary>
public sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _backendHost;
    private readonly int _backendPort;
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public CuttableProxy(string backendHost, int backendPort)
    {
        (_backendHost, _backendPort) = (backendHost, backendPort);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes relayed from the server to clients so far (shows that a cut hit a running transfer).</summary>
    public long BytesFromServer => Interlocked.Read(ref _bytesFromServer);

    private long _bytesFromServer;

    /// <param name="reset">True: TCP RST ("connection reset by peer"); false: a plain close (FIN), which the driver
    /// sees as the stream ending in the middle of a packet ("an incomplete response was received").</param>
    public void CutAll(bool reset = true)
    {
        lock (_open)
        {
            foreach (var socket in _open)
            {
                try
                {
                    if (reset) socket.LingerState = new LingerOption(true, 0);
                    else socket.Shutdown(SocketShutdown.Both);
                    socket.Close();
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException)
                {
                    // Already closed by its relay when the other side went away.
                }
            }
            _open.Clear();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try { await server.ConnectAsync(_backendHost, _backendPort, _stop.Token); }
        catch (Exception) { client.Close(); server.Close(); return; }
        lock (_open) { _open.Add(client); _open.Add(server); }
        await Task.WhenAll(PumpAsync(client, server, false), PumpAsync(server, client, true));
    }

    private async Task PumpAsync(Socket from, Socket to, bool fromServer)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0) break;
                if (fromServer) Interlocked.Add(ref _bytesFromServer, n);
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception)
        {
            // One side was cut: drop the other too.
            try { from.Close(); to.Close(); } catch (ObjectDisposedException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        await _acceptLoop;
        _stop.Dispose();
    }
}
