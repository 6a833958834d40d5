using SasNet.IO;
using System.Diagnostics;
using System.Text.Json;
using SasNet.Geometry;
using SasNet.Inference;
using SasNet.Experiments.Sweeps;
using SasNet.Training;
using TorchSharp;

namespace SasNet.Experiments;

/// <summary>How <see cref="Experiment.Run"/> trains and caches.</summary>
/// <param name="CacheRoot">Folder of cached runs and generated phantoms (default: <see cref="KitPaths.CacheRoot"/>).</param>
/// <param name="Retrain">Ignore a cached result and train again.</param>
/// <param name="Progress">Progress reporter (default: lines on the console).</param>
/// <param name="Threads">libtorch intra-op threads (default: <c>SASNET_THREADS</c> when set, else all cores; lower it when several jobs share the machine).</param>
/// <param name="CheckpointEvery">Resumable checkpoint interval in iterations (default: a tenth of the run).</param>
public sealed record ExperimentOptions(string? CacheRoot = null, bool Retrain = false, IProgress<TrainingProgress>? Progress = null,
    int? Threads = null, int? CheckpointEvery = null);

/// <summary>A finished (or cached) run: its configuration, history, test metrics and where its files are.</summary>
public sealed class ExperimentResult
{
    private readonly TrainingHistory? history;
    private readonly MetricsTable? testMetrics;
    private readonly string? selectedCheckpoint;

    internal ExperimentResult(ExperimentConfig config, string folder, TrainingHistory history, MetricsTable testMetrics, double trainingSeconds, bool fromCache, string selectedCheckpoint)
    {
        Config = config;
        Folder = folder;
        this.history = history;
        this.testMetrics = testMetrics;
        TrainingSeconds = trainingSeconds;
        FromCache = fromCache;
        this.selectedCheckpoint = selectedCheckpoint;
    }

    // A run a sweep plan recorded instead of training (see SweepPlanning): it has a configuration and a folder-to-be only.
    private ExperimentResult(ExperimentConfig config, string folder)
    {
        Config = config;
        Folder = folder;
        IsPlanned = true;
    }

    internal static ExperimentResult Planned(ExperimentConfig config, string folder) => new(config, folder);

    /// <summary>The configuration.</summary>
    public ExperimentConfig Config { get; }
    /// <summary>The run folder (config.json, history.csv, checkpoints, test_metrics.json).</summary>
    public string Folder { get; }
    /// <summary>
    /// Whether this run was only recorded by <c>sasnet sweep plan</c> and is not trained yet: then its history, metrics
    /// and checkpoint throw <see cref="InvalidOperationException"/>, which says so.
    /// </summary>
    public bool IsPlanned { get; }
    /// <summary>Loss and validation history.</summary>
    public TrainingHistory History => history ?? throw NotTrainedYet();
    /// <summary>Per-case and mean metrics on the test cases, with the selected checkpoint.</summary>
    public MetricsTable TestMetrics => testMetrics ?? throw NotTrainedYet();
    /// <summary>Wall time of training (from the run that trained it, when cached).</summary>
    public double TrainingSeconds { get; }
    /// <summary>Whether this came from the cache without training.</summary>
    public bool FromCache { get; }
    /// <summary>Path of the checkpoint the metrics were computed with (best on validation, or last).</summary>
    public string SelectedCheckpoint => selectedCheckpoint ?? throw NotTrainedYet();

    /// <summary>A fresh method with the selected weights loaded, in evaluation mode (dispose it).</summary>
    public ITrainingMethod LoadMethod()
    {
        var method = TrainingMethods.Create(Config);
        Trainer.LoadWeights(method, SelectedCheckpoint);
        method.Network.eval();
        return method;
    }

    private InvalidOperationException NotTrainedYet() =>
        new($"{Config.RunName} {SweepPlanning.PlannedMarker}: submit the sweep, then run the notebook again");

    /// <summary>One line: method, scale, mean test Dice and where it came from.</summary>
    public override string ToString() => IsPlanned
        ? $"{Config.RunName}: planned for the sweep (not in the cache yet)"
        : $"{Config.RunName}: test Dice {TestMetrics.Mean.Dice:F4} over {TestMetrics.Cases.Count} cases ({(FromCache ? "cached" : $"trained in {TrainingSeconds:F0} s")})";
}

/// <summary>
/// Runs experiments with a content-addressed cache: the run folder is named by the configuration's hash,
/// so a configuration that several notebooks use is trained once, and re-running a notebook reuses it
/// unless <see cref="ExperimentOptions.Retrain"/> is set. An interrupted run resumes from its last checkpoint.
/// </summary>
public static class Experiment
{
    /// <summary>
    /// Trains (or loads) the run, then evaluates the selected checkpoint on the test cases. The run trains in its staging
    /// folder (<see cref="RunFolder.StagingPathFor"/>) under its <see cref="RunLock"/> and is published to
    /// <see cref="RunFolder.PathFor(string, ExperimentConfig)"/> in one rename once tested; a process that finds the lock held waits, then reads the
    /// published run instead of training it twice. While <c>sasnet sweep plan</c> runs a notebook
    /// (<see cref="SweepPlanning.RecordVariable"/> set), nothing trains: the configuration is recorded and the cached
    /// result, or a planned one (<see cref="ExperimentResult.IsPlanned"/>), is returned.
    /// </summary>
    public static ExperimentResult Run(ExperimentConfig config, ExperimentOptions? options = null)
    {
        options ??= new ExperimentOptions();
        // Checked here, before any work: libtorch aborts the process on set_num_threads(0).
        if (options.Threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Threads, $"ExperimentOptions.Threads must be at least 1, got {options.Threads}");
        config.Validate();
        var cacheRoot = options.CacheRoot ?? KitPaths.CacheRoot();
        var folder = RunFolder.PathFor(cacheRoot, config);
        bool planning = SweepPlanning.RecordIfPlanning(config);
        if (!options.Retrain && TryLoadCached(config, folder) is { } cached) return cached;
        if (planning) return ExperimentResult.Planned(config, folder);

        using var runLock = RunLock.Acquire(cacheRoot, config.RunName, message => Console.WriteLine(message));
        // Whoever held the lock may have published the run while this process waited.
        if (!options.Retrain && TryLoadCached(config, folder) is { } published) return published;

        var staging = RunFolder.StagingPathFor(cacheRoot, config);
        if (options.Retrain)
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        else if (Directory.Exists(folder))
        {
            // A run folder without a readable result: an older kit's interrupted run (resume it) or a damaged entry.
            if (Directory.Exists(staging)) Directory.Delete(folder, recursive: true);
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(staging)!);
                Directory.Move(folder, staging);
            }
        }
        if (File.Exists(Path.Combine(staging, Trainer.LastCheckpoint)))
            Console.WriteLine($"{config.RunName}: resuming from the checkpoint in {staging}");

        torch.set_num_threads(options.Threads ?? DefaultThreads());
        var data = ExperimentData.Prepare(config, cacheRoot);
        using var method = TrainingMethods.Create(config);
        var trainer = new Trainer(config, data, new TrainerOptions(staging,
            CheckpointEvery: options.CheckpointEvery ?? Math.Max(10, config.Optimisation.Iterations / 10),
            Progress: options.Progress ?? ProgressReporters.Console()));
        var clock = Stopwatch.StartNew();
        var history = trainer.Train(method);
        double seconds = clock.Elapsed.TotalSeconds;

        var selected = RunFolder.Checkpoint(staging, config.Evaluation.SelectBestOnValidation, out _);
        Trainer.LoadWeights(method, selected);
        method.Network.eval();
        var evaluation = Evaluation.Run(method.CreatePredictor(2), data.Split.TestCases(), data.Window, $"{config.RunName} on the test cases");
        var metrics = evaluation.Metrics;
        AtomicFile.WriteAllText(Path.Combine(staging, RunFolder.ResultFile), JsonSerializer.Serialize(new CachedResult(metrics.Cases.ToArray(), seconds, Path.GetFileName(selected))));
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        Directory.Move(staging, folder);
        return new ExperimentResult(config, folder, history, metrics, seconds, fromCache: false, Path.Combine(folder, Path.GetFileName(selected)));
    }

    // The published run of the configuration, or null when there is none or its result cannot be read (train again).
    private static ExperimentResult? TryLoadCached(ExperimentConfig config, string folder)
    {
        var resultPath = Path.Combine(folder, RunFolder.ResultFile);
        if (!File.Exists(resultPath)) return null;
        try
        {
            return LoadCached(config, folder, resultPath);
        }
        catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary><c>SASNET_THREADS</c> when it holds a positive number, else the number of cores.</summary>
    public static int DefaultThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable("SASNET_THREADS"), out var threads) && threads > 0 ? threads : Environment.ProcessorCount;

    private sealed record CachedResult(CaseMetrics[] Cases, double TrainingSeconds, string Checkpoint);


    private static ExperimentResult LoadCached(ExperimentConfig config, string folder, string resultPath)
    {
        var cached = JsonSerializer.Deserialize<CachedResult>(File.ReadAllText(resultPath)) ?? throw new JsonException("empty result file");
        var metrics = new MetricsTable(cached.Cases, $"{config.RunName} on the test cases");
        var history = TrainingHistory.Load(folder);
        return new ExperimentResult(config, folder, history, metrics, cached.TrainingSeconds, fromCache: true, Path.Combine(folder, cached.Checkpoint));
    }
}
