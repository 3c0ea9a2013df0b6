using System.Net;
using System.Net.Sockets;

namespace Dm.TestKit;

/// <summary>Finds TCP ports on loopback that nothing listens on, so parallel test servers never collide.</summary>
public static class FreePort
{
    private static readonly object Gate = new();
    private static readonly HashSet<int> Handed = new();

    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                // The OS may hand the same ephemeral port twice before a server binds it.
                if (Handed.Add(port)) return port;
            }
        }
    }
}
