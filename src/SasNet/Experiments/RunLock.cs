using SasNet.Data.IO;

namespace SasNet.Experiments;

/// <summary>
/// An exclusive lock on one configuration's run in a cache, held while it trains, so that two processes asked for the
/// same configuration (two notebooks, two sweep tasks on a cluster sharing the cache) never write the same folder: the
/// second waits, then finds the first one's published run. A <see cref="FileLock"/> on <c>locks/&lt;run&gt;.lock</c>, so
/// a process that dies (killed, timed out, its node lost) releases it with no clean-up.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileLock fileLock;

    private RunLock(FileLock fileLock) => this.fileLock = fileLock;

    /// <summary>The lock file of <paramref name="runName"/>'s run under <paramref name="cacheRoot"/>.</summary>
    public static string PathFor(string cacheRoot, string runName) => System.IO.Path.Combine(cacheRoot, "locks", runName + ".lock");

    /// <summary>Takes the lock if no one holds it; null when another process (or another thread here) does.</summary>
    public static RunLock? TryAcquire(string cacheRoot, string runName) =>
        FileLock.TryAcquire(PathFor(cacheRoot, runName)) is { } taken ? new RunLock(taken) : null;

    /// <summary>
    /// Takes the lock, waiting while another process holds it; <paramref name="onWait"/> is told once who holds it.
    /// </summary>
    public static RunLock Acquire(string cacheRoot, string runName, Action<string>? onWait = null) =>
        new(FileLock.Acquire(PathFor(cacheRoot, runName),
            holder => onWait?.Invoke($"{runName} is being trained by another process ({holder}); waiting for it to finish"),
            TimeSpan.FromSeconds(2)));

    /// <summary>Who took the lock last ("host pid N since …"), or "unknown".</summary>
    public static string Holder(string cacheRoot, string runName) => FileLock.Holder(PathFor(cacheRoot, runName));

    /// <inheritdoc />
    public void Dispose() => fileLock.Dispose();
}
