using System.Diagnostics;

namespace SasNet.IO;

/// <summary>
/// Runs a child process to its end: its output goes to this process's own, or line by line into a log file; when the
/// caller cancels, the child and everything it started are killed before the cancellation goes on. Compiled into the
/// kit assemblies that start long-running children (sweep tasks, the notebook runner).
/// </summary>
internal static class ChildProcess
{
    /// <summary>Starts <paramref name="start"/> and returns its exit code once it has ended and its output is written.</summary>
    /// <param name="start">What to run; its output redirection is set here.</param>
    /// <param name="cancellationToken">Kills the process tree when cancelled.</param>
    /// <param name="logFile">Where its standard output and error go (created or replaced); null: this process's own.</param>
    public static async Task<int> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken, string? logFile = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = start.RedirectStandardError = logFile is not null;
        using var log = logFile is null ? null : TextWriter.Synchronized(new StreamWriter(logFile) { AutoFlush = true });
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var copying = log is null ? Task.CompletedTask : Task.WhenAll(CopyLines(process.StandardOutput, log), CopyLines(process.StandardError, log));
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        finally
        {
            await copying.ConfigureAwait(false); // both pipes close when the process tree ends
        }
        return process.ExitCode;
    }

    private static async Task CopyLines(StreamReader from, TextWriter to)
    {
        while (await from.ReadLineAsync().ConfigureAwait(false) is { } line) await to.WriteLineAsync(line).ConfigureAwait(false);
    }
}
