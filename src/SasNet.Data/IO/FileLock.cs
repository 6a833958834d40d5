using SasNet.IO;

namespace SasNet.Data.IO;

/// <summary>
/// An exclusive lock between processes (and threads) on a lock file: the operating system's <c>flock</c>, taken by opening
/// the file with no sharing, so a process that dies (killed, timed out, its node lost) releases it with no clean-up. Who
/// holds it is written beside it (<c>&lt;file&gt;.holder</c>), because the lock file cannot be read while it is held.
/// Used for work that several processes sharing a cache may start at once: training a run, generating the phantoms.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream stream;

    private FileLock(FileStream stream) => this.stream = stream;

    /// <summary>Takes the lock if no one holds it; null when another process (or another thread here) does.</summary>
    public static FileLock? TryAcquire(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        AtomicFile.WriteAllText(HolderPathFor(path), $"{Environment.MachineName} pid {Environment.ProcessId} since {DateTime.UtcNow:O}");
        return new FileLock(stream);
    }

    /// <summary>Takes the lock, waiting while someone else holds it; <paramref name="onWait"/> gets the holder, once.</summary>
    public static FileLock Acquire(string path, Action<string>? onWait = null, TimeSpan? poll = null)
    {
        bool told = false;
        while (true)
        {
            if (TryAcquire(path) is { } taken) return taken;
            if (!told)
            {
                onWait?.Invoke(Holder(path));
                told = true;
            }
            Thread.Sleep(poll ?? TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Who took the lock last ("host pid N since …"), or "unknown".</summary>
    public static string Holder(string path)
    {
        try
        {
            var text = File.ReadAllText(HolderPathFor(path)).Trim();
            return text.Length > 0 ? text : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string HolderPathFor(string path) => path + ".holder";

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();
}
