using System.Text;

namespace SasNet.IO;

/// <summary>
/// Replaces files so that a reader (or a crash) never meets half of one: the content goes to a temporary file beside
/// the target, is flushed to disk, and is renamed over the target in one step; on failure the temporary file is
/// removed and the target is untouched. Compiled into every kit assembly that writes results (runs, checkpoints,
/// cases, notebooks), so all of them write the same way.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> (UTF-8, no byte-order mark).</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes into the stream it is given.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Replace(path, temporary =>
        {
            // Replace flushes the finished file to disk once, whoever wrote it.
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(stream);
        });
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with the file that <paramref name="create"/> writes at the temporary path it is
    /// given (for writers that take a path, such as HDF5's), then flushes that file to disk.
    /// </summary>
    public static void Replace(string path, Action<string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            create(temporary);
            using (var written = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite)) written.Flush(flushToDisk: true);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
