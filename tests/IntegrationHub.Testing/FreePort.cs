using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.Testing;

/// <summary>
/// Finds TCP ports on 127.0.0.1 that nothing is listening on. Ports are picked at random from a range
/// below the Linux ephemeral range (32768+) so that the OS does not hand the same port to an outgoing
/// connection in the meantime, and so that parallel test runs rarely pick the same one.
/// </summary>
public static class FreePort
{
    private const int LowPort = 20000;
    private const int HighPort = 32000;
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();

    /// <summary>One free port.</summary>
    public static int Get() => GetRange(1);

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports (all of them bindable right now and
    /// not handed out before by this process).
    /// </summary>
    public static int GetRange(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (Gate)
        {
            for (var attempt = 0; attempt < 500; attempt++)
            {
                var first = Random.Shared.Next(LowPort, HighPort - count);
                var ok = true;
                for (var p = first; p < first + count && ok; p++)
                {
                    ok = !Handed.Contains(p) && IsFree(p);
                }

                if (!ok)
                {
                    continue;
                }

                for (var p = first; p < first + count; p++)
                {
                    Handed.Add(p);
                }

                return first;
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free TCP ports found between {LowPort} and {HighPort} after 500 attempts.");
    }

    /// <summary>True when a listener can bind 127.0.0.1:<paramref name="port"/> and 0.0.0.0:<paramref name="port"/> right now.</summary>
    public static bool IsFree(int port) => CanBind(IPAddress.Loopback, port) && CanBind(IPAddress.Any, port);

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(1);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
