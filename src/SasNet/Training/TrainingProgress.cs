using System.Globalization;

namespace SasNet.Training;

/// <summary>A progress report: where training is, the recent loss and the time left.</summary>
/// <param name="RunName">The run being trained.</param>
/// <param name="Iteration">Iterations done.</param>
/// <param name="Iterations">Iterations in total.</param>
/// <param name="Loss">Loss averaged over the last few iterations.</param>
/// <param name="Elapsed">Time spent so far in this session.</param>
/// <param name="Remaining">Estimated time to the end.</param>
/// <param name="LastValidationDice">Mean validation Dice of the latest validation pass, if any.</param>
public sealed record TrainingProgress(string RunName, int Iteration, int Iterations, double Loss, TimeSpan Elapsed, TimeSpan Remaining, double? LastValidationDice);

/// <summary>Ready-made progress reporters for a terminal (a redrawn bar) and for notebooks or logs (plain lines).</summary>
public static class ProgressReporters
{
    /// <summary>
    /// A bar redrawn in place on an interactive terminal; when output is redirected (CI logs, notebooks)
    /// it prints a plain line every tenth of the run instead.
    /// </summary>
    public static IProgress<TrainingProgress> Console(TextWriter? output = null)
    {
        var writer = output ?? System.Console.Out;
        bool interactive = output is null && !System.Console.IsOutputRedirected;
        return interactive ? new SynchronousProgress(p => DrawBar(writer, p)) : Lines(writer);
    }

    /// <summary>One line per tenth of the run (and at the end): suits notebooks and log files.</summary>
    public static IProgress<TrainingProgress> Lines(TextWriter output, int reports = 10)
    {
        return new SynchronousProgress(p =>
        {
            int every = Math.Max(1, p.Iterations / Math.Max(1, reports));
            if (p.Iteration % every == 0 || p.Iteration == p.Iterations || p.Iteration == 1)
                output.WriteLine(Describe(p));
        });
    }

    /// <summary>No reporting.</summary>
    public static IProgress<TrainingProgress> None { get; } = new SynchronousProgress(_ => { });

    /// <summary>"[sasnet-…] 120/300 loss 0.4123 val Dice 0.812 | 0:45 elapsed, 1:07 left".</summary>
    public static string Describe(TrainingProgress p)
    {
        var validation = p.LastValidationDice is { } d ? string.Create(CultureInfo.InvariantCulture, $" val Dice {d:F3}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{p.RunName}] {p.Iteration}/{p.Iterations} loss {p.Loss:F4}{validation} | {Clock(p.Elapsed)} elapsed, {Clock(p.Remaining)} left");
    }

    private static void DrawBar(TextWriter writer, TrainingProgress p)
    {
        const int Width = 30;
        int filled = (int)Math.Round(Width * (double)p.Iteration / p.Iterations);
        writer.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] " + Describe(p));
        if (p.Iteration == p.Iterations) writer.WriteLine();
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    // Progress<T> posts to a synchronisation context; training reports must appear in order, at once.
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
