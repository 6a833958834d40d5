using SasNet.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SasNet.Training;

/// <summary>Losses of one training iteration: the total and each named part (e.g. "seg", "plc", "src", "gamma").</summary>
/// <param name="Iteration">1-based iteration number.</param>
/// <param name="Loss">The loss that was back-propagated.</param>
/// <param name="Parts">Named components and weights of the loss.</param>
/// <param name="LearningRate">Learning rate used for the step.</param>
/// <param name="Seconds">Wall time of the iteration, data wait included.</param>
public sealed record IterationRecord(int Iteration, double Loss, IReadOnlyDictionary<string, double> Parts, double LearningRate, double Seconds);

/// <summary>A validation pass: mean Dice (and the other metrics) over the validation cases after an iteration.</summary>
public sealed record ValidationRecord(int Iteration, double Dice, double Jaccard, double Hd95, double Asd);

/// <summary>
/// The loss and validation history of a run, kept in memory and written as CSV (one row per iteration,
/// one column per loss part) and JSON, so curves can be plotted without re-training.
/// </summary>
public sealed class TrainingHistory
{
    private readonly List<IterationRecord> iterations = [];
    private readonly List<ValidationRecord> validations = [];

    /// <summary>Iterations in order.</summary>
    public IReadOnlyList<IterationRecord> Iterations => iterations;

    /// <summary>Validation passes in order.</summary>
    public IReadOnlyList<ValidationRecord> Validations => validations;

    /// <summary>Appends an iteration.</summary>
    public void Add(IterationRecord record) => iterations.Add(record);

    /// <summary>Appends a validation pass.</summary>
    public void Add(ValidationRecord record) => validations.Add(record);

    /// <summary>Drops records after <paramref name="iteration"/> (when resuming from a checkpoint taken then).</summary>
    public void TruncateAfter(int iteration)
    {
        iterations.RemoveAll(r => r.Iteration > iteration);
        validations.RemoveAll(r => r.Iteration > iteration);
    }

    /// <summary>Names of all loss parts seen, in first-seen order.</summary>
    public IReadOnlyList<string> PartNames => iterations.SelectMany(r => r.Parts.Keys).Distinct().ToArray();

    /// <summary>Mean loss over a window of iterations ending at <paramref name="lastIndex"/> (for smoothed curves).</summary>
    public double MovingAverage(int lastIndex, int window) =>
        iterations.Skip(Math.Max(0, lastIndex - window + 1)).Take(Math.Min(window, lastIndex + 1)).Average(r => r.Loss);

    /// <summary>The history as CSV: iteration, loss, lr, seconds, then one column per part.</summary>
    public string ToCsv()
    {
        var parts = PartNames;
        var text = new StringBuilder("iteration,loss,lr,seconds");
        foreach (var p in parts) text.Append(',').Append(p);
        text.AppendLine();
        foreach (var r in iterations)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Iteration},{r.Loss:R},{r.LearningRate:R},{r.Seconds:F4}");
            foreach (var p in parts) text.Append(',').Append(r.Parts.TryGetValue(p, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : "");
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>Writes history.csv, validation.csv and history.json into <paramref name="folder"/>.</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "history.csv"), ToCsv());
        var validation = new StringBuilder("iteration,dice,jaccard,hd95,asd\n");
        foreach (var v in validations)
            validation.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{v.Iteration},{v.Dice:R},{v.Jaccard:R},{v.Hd95:R},{v.Asd:R}"));
        AtomicFile.WriteAllText(Path.Combine(folder, "validation.csv"), validation.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "history.json"), JsonSerializer.Serialize(new { iterations, validations }));
    }

    /// <summary>Reads a history written by <see cref="Save"/>.</summary>
    public static TrainingHistory Load(string folder)
    {
        var path = Path.Combine(folder, "history.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var history = new TrainingHistory();
        foreach (var r in doc.RootElement.GetProperty("iterations").EnumerateArray())
        {
            var parts = r.GetProperty("Parts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            history.Add(new IterationRecord(r.GetProperty("Iteration").GetInt32(), r.GetProperty("Loss").GetDouble(), parts,
                r.GetProperty("LearningRate").GetDouble(), r.GetProperty("Seconds").GetDouble()));
        }
        foreach (var v in doc.RootElement.GetProperty("validations").EnumerateArray())
            history.Add(new ValidationRecord(v.GetProperty("Iteration").GetInt32(), v.GetProperty("Dice").GetDouble(),
                v.GetProperty("Jaccard").GetDouble(), v.GetProperty("Hd95").GetDouble(), v.GetProperty("Asd").GetDouble()));
        return history;
    }
}
