using System.Net;
using System.Net.Sockets;

namespace AuthPlatform.Testing;

/// <summary>
/// A block of loopback ports for one test platform, held through a lock file for the life of the test process.
/// The AppHost decides every port before anything starts, so a port that is merely free at that moment can be taken
/// by an outgoing connection (the kernel's ephemeral range) or by a platform of an assembly running beside it before
/// its service binds it. Blocks lie below Linux's ephemeral range (32768 and up), and the lock keeps them apart.
/// </summary>
public sealed class PortBlock : IDisposable
{
    public const int Size = 50;
    private const int FirstPort = 20000;
    private const int BlockCount = 250; // 20000–32499

    private readonly FileStream _lock;

    private PortBlock(FileStream held, int basePort)
    {
        _lock = held;
        Base = basePort;
    }

    /// <summary>The block's first port; the AppHost hands out <see cref="Base"/>+1 onwards.</summary>
    public int Base { get; }

    /// <summary>The block's last port (the gateway's, kept clear of the AppHost's own numbering).</summary>
    public int Last => Base + Size - 1;

    public static PortBlock Reserve()
    {
        var directory = Path.Combine(Path.GetTempPath(), "authplatform-port-blocks");
        Directory.CreateDirectory(directory);
        var start = Random.Shared.Next(BlockCount);
        for (var i = 0; i < BlockCount; i++)
        {
            var index = (start + i) % BlockCount;
            FileStream held;
            try
            {
                // FileShare.None is an exclusive flock on Linux; the kernel drops it when the process dies.
                held = new FileStream(Path.Combine(directory, $"{index}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue; // another test process holds this block
            }
            var basePort = FirstPort + index * Size;
            if (Enumerable.Range(basePort, Size).All(IsFree))
            {
                return new PortBlock(held, basePort);
            }
            held.Dispose();
        }
        throw new InvalidOperationException("No free block of loopback ports between 20000 and 32499.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _lock.Dispose();
}
