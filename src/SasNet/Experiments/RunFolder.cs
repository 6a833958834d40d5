using System.Text.Json;
using SasNet.Training;

namespace SasNet.Experiments;

/// <summary>
/// A run folder as training leaves it: <c>config.json</c>, <c>history.*</c>, <c>last.safetensors</c>,
/// <c>best.safetensors</c> when the run selected on validation, and <c>result.json</c> once tested. The one place that
/// reads a run's configuration from disk and decides which checkpoint stands for the run: the best on validation, else
/// the last (used by <see cref="Experiment"/>, <c>sasnet evaluate</c>, <c>sasnet predict</c> and the notebooks).
/// </summary>
public sealed class RunFolder
{
    /// <summary>The configuration file of a run.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The test result of a run, written last in the staging folder: a published run has it.</summary>
    public const string ResultFile = "result.json";

    private RunFolder(string path, ExperimentConfig config)
    {
        Path = path;
        Config = config;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The configuration the run was trained with (validated).</summary>
    public ExperimentConfig Config { get; }

    /// <summary>The folder of <paramref name="config"/>'s run under <paramref name="cacheRoot"/> (it need not exist yet).</summary>
    public static string PathFor(string cacheRoot, ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return PathFor(cacheRoot, config.RunName);
    }

    /// <summary>The folder of the run named <paramref name="runName"/> (<see cref="ExperimentConfig.RunName"/>) under <paramref name="cacheRoot"/>.</summary>
    public static string PathFor(string cacheRoot, string runName) => System.IO.Path.Combine(cacheRoot, "runs", runName);

    /// <summary>Whether the run named <paramref name="runName"/> is published under <paramref name="cacheRoot"/> (trained and tested).</summary>
    public static bool IsPublished(string cacheRoot, string runName) =>
        File.Exists(System.IO.Path.Combine(PathFor(cacheRoot, runName), ResultFile));

    /// <summary>
    /// Where <paramref name="config"/>'s run trains before it is published: <c>training/&lt;run&gt;</c> beside
    /// <c>runs/</c>. A run appears under <c>runs/</c> only whole (moved there in one rename, with its result), so a killed
    /// training never leaves a folder that looks finished, and the next training of the configuration resumes here.
    /// </summary>
    public static string StagingPathFor(string cacheRoot, ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return System.IO.Path.Combine(cacheRoot, "training", config.RunName);
    }

    /// <summary>Opens a run folder written by the trainer.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">It has no config.json (it is not a run folder).</exception>
    /// <exception cref="InvalidDataException">Its config.json is not a valid experiment configuration (which file, and why).</exception>
    public static RunFolder Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"run folder '{path}' does not exist");
        var configPath = System.IO.Path.Combine(path, ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"'{path}' has no {ConfigFile} (is it a run folder?)", configPath);
        try
        {
            return new RunFolder(path, ExperimentConfig.FromJson(File.ReadAllText(configPath)).Validate());
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"'{configPath}' is not a valid experiment configuration: {e.Message}", e);
        }
    }

    /// <summary>
    /// The checkpoint that stands for the run in <paramref name="folder"/>: <c>best.safetensors</c> when
    /// <paramref name="preferBest"/> and it exists, else <c>last.safetensors</c>. <paramref name="fellBack"/> says whether
    /// the best was asked for and missing (a run that did not select on validation writes none).
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder holds neither checkpoint: the run has not been trained.</exception>
    public static string Checkpoint(string folder, bool preferBest, out bool fellBack)
    {
        var best = System.IO.Path.Combine(folder, Trainer.BestCheckpoint);
        var last = System.IO.Path.Combine(folder, Trainer.LastCheckpoint);
        fellBack = false;
        if (preferBest && File.Exists(best)) return best;
        if (!File.Exists(last))
            throw new FileNotFoundException(
                $"'{folder}' has no checkpoint ({(preferBest ? $"{Trainer.BestCheckpoint} or " : "")}{Trainer.LastCheckpoint}): train the run first", last);
        fellBack = preferBest;
        return last;
    }

    /// <summary><see cref="Checkpoint(string, bool, out bool)"/> of this folder.</summary>
    public string Checkpoint(bool preferBest, out bool fellBack) => Checkpoint(Path, preferBest, out fellBack);
}
