using System.Text.Json;
using System.Text.Json.Nodes;
using SasNet.Training;

namespace SasNet.Experiments.Sweeps;

/// <summary>A configuration a notebook asked for while a sweep was planned.</summary>
/// <param name="Config">The configuration.</param>
/// <param name="Notebook">The notebook's file name without extension ("" when not run by the notebook runner).</param>
public sealed record PlannedRun(ExperimentConfig Config, string Notebook);

/// <summary>
/// The recording mode behind <c>sasnet sweep plan</c>: while <see cref="RecordVariable"/> names a file, every
/// <see cref="Experiment.Run"/> in the process appends its configuration to that file (one JSON object per line, with the
/// notebook that asked, from <see cref="NotebookPathVariable"/>) and trains nothing. The plan runs the notebooks
/// themselves this way, so the sweep holds exactly the configurations, and therefore the cache keys
/// (<see cref="ExperimentConfig.RunName"/>), that the notebooks ask for.
/// </summary>
public static class SweepPlanning
{
    /// <summary>Environment variable naming the file that records the configurations; unset, runs train as usual.</summary>
    public const string RecordVariable = "SASNET_SWEEP_RECORD";

    /// <summary>Environment variable in which the notebook runner names the notebook it runs.</summary>
    public const string NotebookPathVariable = "SASNET_NOTEBOOK_PATH";

    /// <summary>The words of the error a planned result gives when a cell asks for its metrics or weights.</summary>
    public const string PlannedMarker = "is planned for a sweep and not trained yet";

    private static readonly Lock Gate = new();

    /// <summary>The record file of this process, or null when it is not planning.</summary>
    public static string? RecordFile => Environment.GetEnvironmentVariable(RecordVariable) is { Length: > 0 } path ? path : null;

    /// <summary>Appends <paramref name="config"/> to the record file when planning; returns whether it did.</summary>
    public static bool RecordIfPlanning(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (RecordFile is not { } file) return false;
        var notebook = Environment.GetEnvironmentVariable(NotebookPathVariable) is { Length: > 0 } path ? Path.GetFileNameWithoutExtension(path) : "";
        var line = new JsonObject { ["notebook"] = notebook, ["config"] = JsonNode.Parse(config.ToJson()) }.ToJsonString() + "\n";
        lock (Gate) File.AppendAllText(file, line);
        return true;
    }

    /// <summary>Every configuration a record file holds, in the order asked for (one a notebook asked for twice comes twice).</summary>
    /// <exception cref="InvalidDataException">A line is not a recorded configuration (which file, which line, why).</exception>
    public static IReadOnlyList<PlannedRun> Read(string recordFile)
    {
        var runs = new List<PlannedRun>();
        if (!File.Exists(recordFile)) return runs;
        int number = 0;
        foreach (var line in File.ReadLines(recordFile))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var entry = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("empty line");
                var config = entry["config"] ?? throw new JsonException("no config");
                runs.Add(new PlannedRun(ExperimentConfig.FromJson(config.ToJsonString()), entry["notebook"]?.GetValue<string>() ?? ""));
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidDataException($"{recordFile}, line {number}: not a recorded configuration: {e.Message}", e);
            }
        }
        return runs;
    }
}
