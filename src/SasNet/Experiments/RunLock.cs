using SasNet.IO;

namespace SasNet.Experiments;

/// <summary>
/// An exclusive lock on one configuration's run in a cache, held while it trains, so that two processes asked for the
/// same configuration (two notebooks, two sweep tasks on a cluster sharing the cache) never write the same folder: the
/// second waits, then finds the first one's published run. The lock is the operating system's (an exclusive
/// <c>flock</c> on <c>locks/&lt;run&gt;.lock</c>), so a process that dies (killed, timed out, its node lost) releases
/// it with no clean-up.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream stream;

    private RunLock(FileStream stream) => this.stream = stream;

    /// <summary>The lock file of <paramref name="runName"/>'s run under <paramref name="cacheRoot"/>.</summary>
    public static string PathFor(string cacheRoot, string runName) => System.IO.Path.Combine(cacheRoot, "locks", runName + ".lock");

    // Who holds the lock, in a file of its own: the lock file itself cannot be read while it is held exclusively.
    private static string HolderPathFor(string cacheRoot, string runName) => PathFor(cacheRoot, runName) + ".holder";

    /// <summary>Takes the lock if no one holds it; null when another process (or another thread here) does.</summary>
    public static RunLock? TryAcquire(string cacheRoot, string runName)
    {
        var path = PathFor(cacheRoot, runName);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        AtomicFile.WriteAllText(HolderPathFor(cacheRoot, runName), $"{Environment.MachineName} pid {Environment.ProcessId} since {DateTime.UtcNow:O}");
        return new RunLock(stream);
    }

    /// <summary>
    /// Takes the lock, waiting while another process holds it; <paramref name="onWait"/> is told once who holds it.
    /// </summary>
    public static RunLock Acquire(string cacheRoot, string runName, Action<string>? onWait = null)
    {
        bool told = false;
        while (true)
        {
            if (TryAcquire(cacheRoot, runName) is { } taken) return taken;
            if (!told)
            {
                onWait?.Invoke($"{runName} is being trained by another process ({Holder(cacheRoot, runName)}); waiting for it to finish");
                told = true;
            }
            Thread.Sleep(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>Who took the lock last ("host pid N since …"), or "unknown".</summary>
    public static string Holder(string cacheRoot, string runName)
    {
        try
        {
            var text = File.ReadAllText(HolderPathFor(cacheRoot, runName)).Trim();
            return text.Length > 0 ? text : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();
}
