using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using SasNet.Training;

namespace SasNet.Kit;

/// <summary>What one training's progress display shows: the run, a bar, the loss, the validation Dice and the time left.</summary>
/// <param name="What">What is being trained, as the notebook names it.</param>
/// <param name="Progress">The latest report, or null before the first.</param>
public sealed record TrainingProgressView(string What, TrainingProgress? Progress)
{
    /// <summary>A compact HTML block with a progress bar.</summary>
    public string ToHtml()
    {
        var title = WebUtility.HtmlEncode(What);
        if (Progress is not { } p) return $"<div class=\"sasnet-progress\"><b>{title}</b>: starting…</div>";
        var fraction = p.Iterations > 0 ? (double)p.Iteration / p.Iterations : 1;
        return string.Create(CultureInfo.InvariantCulture,
            $"<div class=\"sasnet-progress\" style=\"font-family:monospace\"><b>{title}</b> <progress value=\"{fraction:F3}\" max=\"1\" style=\"width:16em;vertical-align:middle\"></progress> {WebUtility.HtmlEncode(Line(p))}</div>");
    }

    /// <inheritdoc />
    public override string ToString() => Progress is { } p ? $"{What}: {Line(p)}" : $"{What}: starting…";

    private static string Line(TrainingProgress p)
    {
        var dice = p.LastValidationDice is { } d ? string.Create(CultureInfo.InvariantCulture, $", validation Dice {d:F3}") : "";
        var time = p.Iteration >= p.Iterations
            ? $"done in {Clock(p.Elapsed)}"
            : $"{Clock(p.Remaining)} left";
        return string.Create(CultureInfo.InvariantCulture, $"iteration {p.Iteration}/{p.Iterations}, loss {p.Loss:F4}{dice}, {time}");
    }

    private static string Clock(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}

/// <summary>
/// Training progress as one display in the running cell that updates in place (at most a few times a second, and
/// always at the last iteration), through .NET Interactive's displayed values. Outside a kernel it reports nothing.
/// </summary>
public sealed class NotebookProgress : IProgress<TrainingProgress>
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(0.5);
    private readonly string what;
    private readonly Stopwatch sinceUpdate = new();
    private DisplayedValue? display;

    /// <summary>A display for the training named <paramref name="what"/>; shown at the first report.</summary>
    public NotebookProgress(string what) => this.what = what;

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var view = new TrainingProgressView(what, value);
        if (display is null)
        {
            display = KernelInvocationContext.Current?.Display(view, HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
            sinceUpdate.Restart();
            return;
        }
        bool last = value.Iteration >= value.Iterations;
        if (!last && sinceUpdate.Elapsed < MinimumInterval) return;
        display.Update(view);
        sinceUpdate.Restart();
    }
}
